package main

import (
	"context"
	"errors"
)

// reportCommand is a placeholder until the command lands.
func reportCommand() *command {
	return &command{
		name:    "report",
		summary: "(not built yet)",
		run: func(ctx context.Context, a *app, args []string) error {
			return errors.New("tumen report is not built yet")
		},
	}
}
