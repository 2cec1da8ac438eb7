package server

import (
	"context"
	"time"

	"leoc/internal/store"
)

// checkpointEvery is the longest time between two signed audit checkpoints
// written by the running server (docs/audit.md).
const checkpointEvery = 24 * time.Hour

// checkpointAudit takes a checkpoint at start when the last one is older
// than a day, then checks hourly. Each one goes to the log (stderr and
// LEOC_LOG_FILE), which is what takes it out of the database.
func (s *Server) checkpointAudit(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		s.checkpointIfDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkpointIfDue writes a checkpoint when none was taken in the last day,
// and reports whether it did.
func (s *Server) checkpointIfDue(ctx context.Context) bool {
	last, err := s.store.LastCheckpointAt(ctx)
	if err != nil {
		s.log.Error("audit checkpoint: read the last one", "err", err)
		return false
	}
	if !last.IsZero() && s.now().Sub(last) < checkpointEvery {
		return false
	}
	c, err := s.store.Checkpoint(ctx, store.SystemActor)
	if err != nil {
		s.log.Error("audit checkpoint failed", "err", err)
		return false
	}
	s.log.Info("audit checkpoint", "checkpoint", c.String())
	return true
}
