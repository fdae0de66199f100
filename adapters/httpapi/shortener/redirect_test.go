package shortener_test

import (
	"bytes"
	"context"
	"gatehouse/adapters/httpapi/httpapitest"
	"image/png"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"gatehouse/adapters/httpapi/shortener"
)

// visit follows a short link once and checks the status.
func visit(tb testing.TB, e *env, path string, status int) response {
	tb.Helper()
	r := e.Call(tb, http.MethodGet, path, nil, nil)
	if r.Status != status {
		tb.Fatalf("GET %s = %d %s, want %d", path, r.Status, r.Body, status)
	}
	return r
}

func TestRedirect(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	u := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))

	r := visit(t, e, "/"+u.Alias, http.StatusFound)
	if r.Header.Get("Location") != u.URL || r.Header.Get("Cache-Control") != "private, max-age=0" || len(r.Body) != 0 {
		t.Fatalf("redirect headers = %v, body %q", r.Header, r.Body)
	}
	visit(t, e, "/no-such-alias", http.StatusNotFound)
	visit(t, e, "/favicon.ico", http.StatusNotFound)
	if got := listURLs(t, e, pair.AccessToken); got[0].Redirects != 1 {
		t.Fatalf("redirects after one visit = %d", got[0].Redirects)
	}
	// A static route wins over /{alias}.
	if got := listURLs(t, e, pair.AccessToken); len(got) != 1 {
		t.Fatalf("GET /urls = %+v", got)
	}
}

// TestRedirectCount: the count rises by exactly the number of visits, also
// when they come concurrently.
func TestRedirectCount(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	u := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))
	const workers, each = 8, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	redirected := 0
	for range workers {
		wg.Go(func() {
			for range each {
				if e.Call(t, http.MethodGet, "/"+u.Alias, nil, nil).Status == http.StatusFound {
					mu.Lock()
					redirected++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if redirected != workers*each {
		t.Fatalf("%d of %d visits redirected", redirected, workers*each)
	}
	if got := listURLs(t, e, pair.AccessToken)[0].Redirects; got != int64(redirected) {
		t.Fatalf("redirects = %d after %d visits", got, redirected)
	}
}

func TestRedirectOptions(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnv(t, shortener.Options{RedirectStatus: status, RedirectPrefix: "/r"})
			_, pair := signUp(t, e, "alice")
			u := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))
			r := visit(t, e, "/r/"+u.Alias, status)
			if r.Header.Get("Location") != u.URL {
				t.Fatalf("Location = %q", r.Header.Get("Location"))
			}
			if _, r := e.Serve(t, http.MethodGet, "/"+u.Alias, nil, nil); r.Status != http.StatusNotFound {
				t.Fatalf("redirect served at the root with prefix /r")
			}
		})
	}
}

// TestGone: an expired link and one that served its max_redirects answer 410.
func TestGone(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	expiring := createURL(t, e, pair.AccessToken, map[string]any{
		"url": "https://example.com/sale", "alias": "sale",
		"expires_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339),
	})
	limited := createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.com/once", "alias": "twice", "max_redirects": 2})

	visit(t, e, "/"+expiring.Alias, http.StatusFound)
	visit(t, e, "/"+limited.Alias, http.StatusFound)
	visit(t, e, "/"+limited.Alias, http.StatusFound)
	if r := visit(t, e, "/"+limited.Alias, http.StatusGone); httpapitest.ErrorOf(t, r).Error.Reason != "links.gone" {
		t.Fatalf("exhausted link = %s", r.Body)
	}
	e.clock.Advance(2 * time.Hour)
	visit(t, e, "/"+expiring.Alias, http.StatusGone)

	got := listURLs(t, e, signIn(t, e, "alice").AccessToken)
	counts := map[string]int64{}
	for _, u := range got {
		counts[u.Alias] = u.Redirects
	}
	if counts["sale"] != 1 || counts["twice"] != 2 {
		t.Fatalf("counts = %v: a refused visit was counted", counts)
	}
}

func TestQR(t *testing.T) {
	tests := []struct {
		name  string
		opts  shortener.Options
		path  string
		url   string
		query string
		size  int
	}{
		{"default", shortener.Options{}, "/docs/qr", publicURL + "/docs", "", 256},
		{"sized", shortener.Options{}, "/docs/qr", publicURL + "/docs", "?size=512", 512},
		{"prefixed", shortener.Options{RedirectPrefix: "/r", PublicURL: "https://go.example.com/"}, "/r/docs/qr", "https://go.example.com/r/docs", "", 256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts)
			_, pair := signUp(t, e, "alice")
			createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.com/docs", "alias": "docs"})
			r := e.Call(t, http.MethodGet, tt.path+tt.query, nil, nil)
			if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("qr = %d %q %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			img, err := png.Decode(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
				t.Fatalf("qr is %v, want %dx%d", b, tt.size, tt.size)
			}
			want, err := qrcode.Encode(tt.url, qrcode.Medium, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Body, want) {
				t.Fatalf("the QR code does not encode %s", tt.url)
			}
		})
	}
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.com/docs", "alias": "docs"})
	for _, q := range []string{"?size=12", "?size=4096", "?size=big"} {
		if r := e.Call(t, http.MethodGet, "/docs/qr"+q, nil, nil); r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != "size" {
			t.Errorf("qr%s = %d %s, want 400 naming size", q, r.Status, r.Body)
		}
	}
}

// TestQRDeadLinks: the QR code answers like the redirect for an unknown,
// an expired and an exhausted alias, and looking counts no visit.
func TestQRDeadLinks(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	createURL(t, e, pair.AccessToken, map[string]any{
		"url": "https://example.com/sale", "alias": "sale",
		"expires_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339),
	})
	createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.com/once", "alias": "once", "max_redirects": 1})

	for range 3 { // QR codes of a link with one redirect leave it that redirect
		visit(t, e, "/once/qr", http.StatusOK)
	}
	visit(t, e, "/once", http.StatusFound)
	visit(t, e, "/sale/qr", http.StatusOK)
	e.clock.Advance(2 * time.Hour)

	tests := []struct {
		path   string
		status int
		reason string
	}{
		{"/no-such-alias/qr", http.StatusNotFound, "links.not_found"},
		{"/healthz/qr", http.StatusNotFound, "links.not_found"},
		{"/sale/qr", http.StatusGone, "links.gone"},
		{"/once/qr", http.StatusGone, "links.gone"},
	}
	for _, tt := range tests {
		if r := visit(t, e, tt.path, tt.status); httpapitest.ErrorOf(t, r).Error.Reason != tt.reason {
			t.Errorf("GET %s = %s, want reason %s", tt.path, r.Body, tt.reason)
		}
	}
	counts := map[string]int64{}
	for _, u := range listURLs(t, e, signIn(t, e, "alice").AccessToken) {
		counts[u.Alias] = u.Redirects
	}
	if counts["sale"] != 0 || counts["once"] != 1 {
		t.Fatalf("counts = %v: a QR code was counted as a visit", counts)
	}
}

// TestRedirectCountStored: once the redirect counter closes (a graceful
// shutdown flushes every count), the stored count equals the redirects served.
func TestRedirectCountStored(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	u := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))
	const visits = 37
	for range visits {
		visit(t, e, "/"+u.Alias, http.StatusFound)
	}
	if err := e.redirects.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	l, err := e.linkStore.LinkByID(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Redirects != visits {
		t.Fatalf("stored redirects = %d after %d visits", l.Redirects, visits)
	}
}

// TestHeadLooksWithoutCounting: HEAD, which link checkers and chat
// previews send, answers as GET would without counting a visit.
func TestHeadLooksWithoutCounting(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	l := createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.com/docs", "alias": "docs", "max_redirects": 1})
	for range 3 {
		_, r := e.Serve(t, http.MethodHead, "/"+l.Alias, nil, nil)
		if r.Status != http.StatusFound || r.Header.Get("Location") != "https://example.com/docs" || len(r.Body) != 0 {
			t.Fatalf("HEAD = %d %q %q", r.Status, r.Header.Get("Location"), r.Body)
		}
	}
	visit(t, e, "/"+l.Alias, http.StatusFound)
	if _, r := e.Serve(t, http.MethodHead, "/"+l.Alias, nil, nil); r.Status != http.StatusGone {
		t.Fatalf("HEAD of a used-up link = %d, want 410", r.Status)
	}
}
