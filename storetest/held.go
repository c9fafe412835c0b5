package storetest

import (
	"context"

	"tumen"
)

// HeldActs is a store whose acts are read only once Release is closed: a
// search index built from it stays in its background build until then.
type HeldActs struct {
	tumen.Store
	Release chan struct{}
}

// ListActs waits for Release, then lists the acts.
func (s HeldActs) ListActs(ctx context.Context, f tumen.ActFilter) ([]*tumen.Act, error) {
	<-s.Release
	return s.Store.ListActs(ctx, f)
}
