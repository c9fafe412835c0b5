package main

import (
	"context"
	"errors"
)

// linkCommand is a placeholder until the command lands.
func linkCommand() *command {
	return &command{
		name:    "link",
		summary: "(not built yet)",
		run: func(ctx context.Context, a *app, args []string) error {
			return errors.New("tumen link is not built yet")
		},
	}
}
