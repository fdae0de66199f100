package tggateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/tggateway"
)

// mapCache is the part of ports.Cache reports use, in a map.
type mapCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *mapCache) Get(_ context.Context, k string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok, nil
}

func (c *mapCache) Set(_ context.Context, k string, v []byte, _ time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
	return nil
}

func (c *mapCache) SetNX(context.Context, string, []byte, time.Duration) (bool, error) {
	panic("unused")
}

func (c *mapCache) Incr(context.Context, string, int64, time.Duration) (int64, error) {
	panic("unused")
}
func (c *mapCache) Delete(context.Context, ...string) error { panic("unused") }
func (c *mapCache) Ping(context.Context) error              { return nil }

var now = time.Unix(1_760_000_000, 0)

func newReports(tb testing.TB) *tggateway.Reports {
	tb.Helper()
	r, err := tggateway.NewReports(token, &mapCache{m: map[string][]byte{}}, tggateway.ReportOptions{Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func report(requestID, status string, updated time.Time) string {
	return `{"request_id":"` + requestID + `","phone_number":"+79991234567","request_cost":0.01,` +
		`"delivery_status":{"status":"` + status + `","updated_at":` + strconv.FormatInt(updated.Unix(), 10) + `}}`
}

// post sends body as the Gateway would at ts, signed with key.
func post(tb testing.TB, h http.Handler, body string, ts time.Time, key string) int {
	tb.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, "/hooks/tggateway", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(tggateway.HeaderTimestamp, stamp)
	req.Header.Set(tggateway.HeaderSignature, tggateway.Sign(key, stamp, []byte(body)))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func TestReports(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		ts         time.Time
		key        string
		wantCode   int
		wantStatus string // kept afterwards for req-1, "" none
	}{
		{"signed and fresh", report("req-1", "delivered", now), now, token, 200, "delivered"},
		{"clock skew within bounds", report("req-1", "read", now), now.Add(4 * time.Minute), token, 200, "read"},
		{"wrong key", report("req-1", "delivered", now), now, "other-token", 401, ""},
		{"stale", report("req-1", "delivered", now), now.Add(-6 * time.Minute), token, 401, ""},
		{"from the future", report("req-1", "delivered", now), now.Add(6 * time.Minute), token, 401, ""},
		{"not a report", `{"ok":true}`, now, token, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReports(t)
			if got := post(t, r, tt.body, tt.ts, tt.key); got != tt.wantCode {
				t.Fatalf("status %d, want %d", got, tt.wantCode)
			}
			got, ok, err := r.Status(context.Background(), "req-1")
			if err != nil || ok != (tt.wantStatus != "") || got.Status != tt.wantStatus {
				t.Fatalf("Status = %+v, %v, %v; want %q", got, ok, err, tt.wantStatus)
			}
		})
	}
}

func TestReportsKeepTheNewest(t *testing.T) {
	r := newReports(t)
	post(t, r, report("req-1", "read", now), now, token)
	post(t, r, report("req-1", "sent", now.Add(-time.Minute)), now, token) // a retried older report
	got, _, _ := r.Status(context.Background(), "req-1")
	if got.Status != "read" || !got.UpdatedAt.Equal(now) {
		t.Fatalf("kept %+v", got)
	}
}

func TestReportsTamperedBodyOrMissingHeaders(t *testing.T) {
	r := newReports(t)
	body := report("req-1", "delivered", now)
	stamp := strconv.FormatInt(now.Unix(), 10)
	tests := []struct {
		name      string
		body      string
		stamp     string
		signature string
		method    string
		want      int
	}{
		{"tampered body", strings.Replace(body, "delivered", "read", 1), stamp, tggateway.Sign(token, stamp, []byte(body)), http.MethodPost, 401},
		{"signature for another timestamp", body, stamp, tggateway.Sign(token, stamp+"0", []byte(body)), http.MethodPost, 401},
		{"no headers", body, "", "", http.MethodPost, 401},
		{"GET", "", stamp, "", http.MethodGet, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/hooks/tggateway", strings.NewReader(tt.body))
			req.Header.Set(tggateway.HeaderTimestamp, tt.stamp)
			req.Header.Set(tggateway.HeaderSignature, tt.signature)
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

// TestSignMatchesTheDocumentedFormula pins Sign to a value computed outside
// Go: hex(HMAC-SHA256(key=SHA256(token), timestamp + "\n" + body)).
func TestSignMatchesTheDocumentedFormula(t *testing.T) {
	const want = "f8f2a3edd8d9b09274afa9cbb531e57ddc39b509d006d14d5deb8c517fa42593"
	if got := tggateway.Sign(token, "1760000000", []byte(`{"request_id":"r"}`)); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}
