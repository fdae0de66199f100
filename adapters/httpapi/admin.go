package httpapi

import (
	"net/http"
	"net/http/pprof"
)

// AdminHandler serves what operators, not clients, read: /metrics and the
// Go profiler under /debug/pprof/. It belongs on a listener of its own
// (Options.AdminAddr), reachable only from the operator's network; with
// one, the public router leaves /metrics out.
func AdminHandler(m *Metrics) http.Handler {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("GET /metrics", m.handler())
	}
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
