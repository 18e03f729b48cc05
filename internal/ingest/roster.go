package ingest

import (
	"context"
	"fmt"

	"contribtrack/internal/roster"
	"contribtrack/internal/store"
)

// ImportRoster makes r the active roster (its members' emails hashed with
// the email key), then refreshes the rollup, in which leaderboards
// resolve people. When the import fails before the new roster is active,
// the error says the previous one is still in place.
func (e Env) ImportRoster(ctx context.Context, r *roster.Roster, source string) (store.RosterImport, error) {
	imp, err := e.Store.ImportRoster(ctx, r, source, e.EmailKey)
	if err != nil && imp.ID == 0 {
		return imp, fmt.Errorf("%w (the previous roster is still in place)", err)
	}
	if err != nil {
		return imp, err // it says the roster is imported
	}
	return imp, e.Refresh(context.WithoutCancel(ctx)) // the roster is in: its refresh is worth finishing
}
