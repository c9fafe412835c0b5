package main

import (
	"context"
	"errors"
)

// estimateCommand is a placeholder until the command lands.
func estimateCommand() *command {
	return &command{
		name:    "estimate",
		summary: "(not built yet)",
		run: func(ctx context.Context, a *app, args []string) error {
			return errors.New("tumen estimate is not built yet")
		},
	}
}
