package shortener_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/adapters/httpapi/shortener"
)

// BenchmarkRedirect serves GET /{alias} through the whole router (shared
// middleware, route table, link use cases on memstore) beside a bare
// handler that answers the same 302 from a map, so the ratio of the two
// holds on a noisy machine.
func BenchmarkRedirect(b *testing.B) {
	e := newEnv(b, shortener.Options{})
	_, pair := signUp(b, e, "alice")
	u := createURL(b, e, pair.AccessToken, e.Example(b, http.MethodPost, "/urls"))
	targets := map[string]string{"/" + u.Alias: u.URL}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, ok := targets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Location", t)
		w.Header().Set("Cache-Control", "private, max-age=0")
		w.WriteHeader(http.StatusFound)
	})
	for name, h := range map[string]http.Handler{"gatehouse": e.Handler, "bare": bare} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodGet, "/"+u.Alias, nil)
				for pb.Next() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusFound {
						b.Errorf("status %d", rec.Code)
						return
					}
				}
			})
		})
	}
}
