package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"contribtrack/internal/chversion"
	"contribtrack/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	a, _ := jsonAnswer(map[string]string{"status": "ok"})
	write(w, r, a, "none")
}

// readyTimeout bounds the readiness check.
const readyTimeout = 3 * time.Second

// readyz answers 200 when ClickHouse answers and the schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.opts.Store.CheckSchema(ctx); err != nil {
		s.log.Warn("api: not ready", "err", err)
		msg := "ClickHouse is unreachable or its schema is not current"
		if errors.Is(err, store.ErrServerTooOld) {
			// Names the two releases: nothing secret, and what to fix.
			msg = fmt.Sprintf("ClickHouse %s is older than %s, the oldest release contribtrack supports",
				s.opts.Store.ServerVersion(), chversion.MinSupported)
		}
		writeError(w, http.StatusServiceUnavailable, "not_ready", msg, "")
		return
	}
	// On a cluster, every node's reachability; not ready while a shard has
	// no node answering (queries would fail).
	nodes, err := s.opts.Store.Nodes(ctx)
	if err != nil {
		s.log.Warn("api: not ready", "err", err)
		writeError(w, http.StatusServiceUnavailable, "not_ready", "the cluster's nodes could not be listed", "")
		return
	}
	body := readiness{Status: "ready", Nodes: nodes}
	status := http.StatusOK
	if down := store.ShardsDown(nodes); len(down) > 0 {
		status, body.Status = http.StatusServiceUnavailable, "not_ready"
		body.Message = fmt.Sprintf("no node of shard %v answers", down)
		s.log.Warn("api: not ready", "shards_down", down)
	}
	a, _ := jsonAnswer(body)
	if status != http.StatusOK {
		w.Header().Set("Content-Type", a.contentType)
		w.WriteHeader(status)
		_, _ = w.Write(a.body)
		return
	}
	write(w, r, a, "none")
}

// readiness is /readyz's answer.
type readiness struct {
	Status  string             `json:"status"`
	Message string             `json:"message,omitempty"`
	Nodes   []store.NodeStatus `json:"nodes,omitempty"` // on a cluster
}
