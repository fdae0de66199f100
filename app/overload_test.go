package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestLoginFloodAnsweredBusy floods contract 003's and contract 004's login
// with more unknown users at once than the hasher admits (one slot, one
// place in the queue, each hash made slow): every request is answered, the
// excess with 503, a Retry-After and the contract's own error shape, the
// rest as the contract's wrong credentials.
func TestLoginFloodAnsweredBusy(t *testing.T) {
	svc := startService(t, "GATEHOUSE_STORAGE_DRIVER=memory", "GATEHOUSE_HTTP_TRUST_PROXY=true",
		"GATEHOUSE_PASSWORD_CONCURRENCY=1", "GATEHOUSE_PASSWORD_QUEUE=1",
		"GATEHOUSE_PASSWORD_MEMORY_KIB=8192", "GATEHOUSE_PASSWORD_ITERATIONS=8")
	tests := []struct {
		name, path, body string
		refused          int // the contract's status for wrong credentials
		checkBusy        func(tb testing.TB, body []byte)
	}{
		{"003 authv1", "/v1/auth/login", `{"username":"flood-%d@example.com","password":"not it %d"}`, http.StatusUnauthorized,
			func(tb testing.TB, body []byte) {
				tb.Helper()
				var e struct {
					Error struct{ Code, Reason, Message string }
				}
				if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != "unavailable" || e.Error.Reason != "passhash.busy" || e.Error.Message == "" {
					tb.Errorf("busy body %s (%v); want {\"error\":{\"code\":\"unavailable\",\"reason\":\"passhash.busy\",...}}", body, err)
				}
			}},
		{"004 account", "/account/login", `{"login":"flood%d","password":"not it %d"}`, http.StatusForbidden,
			func(tb testing.TB, body []byte) {
				tb.Helper()
				var e map[string]string
				if err := json.Unmarshal(body, &e); err != nil || len(e) != 1 || e["errorMessage"] == "" {
					tb.Errorf("busy body %s (%v); want {\"errorMessage\":...}", body, err)
				}
			}},
	}
	const callers = 24
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			statuses := make(map[int]int)
			var mu sync.Mutex
			var wg sync.WaitGroup
			start := make(chan struct{})
			for n := range callers {
				wg.Go(func() {
					<-start
					id := i*callers + n
					status, header, body := post(t, svc.base+tt.path, fmt.Sprintf(tt.body, id, id), fmt.Sprintf("198.51.100.%d", id))
					switch status {
					case tt.refused:
					case http.StatusServiceUnavailable:
						if got := header.Get("Retry-After"); got != "2" {
							t.Errorf("503 with Retry-After %q; want the queue wait, 2", got)
						}
						tt.checkBusy(t, body)
					default:
						t.Errorf("status %d %s; want %d or 503", status, body, tt.refused)
					}
					mu.Lock()
					statuses[status]++
					mu.Unlock()
				})
			}
			close(start)
			wg.Wait()
			t.Logf("answers by status: %v", statuses)
			if statuses[http.StatusServiceUnavailable] == 0 || statuses[tt.refused] == 0 {
				t.Fatalf("answers %v; want some refused as busy and some heard", statuses)
			}
		})
	}
}

// post sends a JSON body from a client address (X-Forwarded-For) and
// returns the status, headers and body.
func post(tb testing.TB, url, body, ip string) (int, http.Header, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		tb.Error(err)
		return 0, nil, nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Error(err)
		return 0, nil, nil
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Error(err)
	}
	return resp.StatusCode, resp.Header, data
}
