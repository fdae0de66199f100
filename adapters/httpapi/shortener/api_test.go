package shortener

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		ok   bool
	}{
		{"zero", Options{}, true},
		{"all set", Options{Prefix: "/api", RedirectPrefix: "/r", RedirectStatus: 308, PublicURL: "https://sho.rt/"}, true},
		{"status 301", Options{RedirectStatus: 301}, true},
		{"status 307", Options{RedirectStatus: 307}, true},
		{"status 200", Options{RedirectStatus: 200}, false},
		{"status 303", Options{RedirectStatus: 303}, false},
		{"prefix without slash", Options{Prefix: "api"}, false},
		{"prefix with trailing slash", Options{Prefix: "/api/"}, false},
		{"redirect prefix /", Options{RedirectPrefix: "/"}, false},
		{"redirect prefix with a variable", Options{RedirectPrefix: "/{x}"}, false},
		{"public URL relative", Options{PublicURL: "sho.rt"}, false},
		{"public URL ftp", Options{PublicURL: "ftp://sho.rt"}, false},
		{"public URL with query", Options{PublicURL: "https://sho.rt/?a=1"}, false},
		{"negative TTL", Options{RefreshTTL: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.o.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tt.ok)
			}
		})
	}
	if got := (Options{RedirectStatus: 200}).withDefaults().RedirectStatus; got != http.StatusFound {
		t.Errorf("an invalid redirect status defaults to %d, want 302", got)
	}
}

func TestDocumentFor(t *testing.T) {
	paths := func(doc []byte) string {
		var d struct {
			Paths map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		var out []string
		for p := range d.Paths {
			out = append(out, p)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	if got := string(documentFor(Options{})); got != string(openAPI) {
		t.Error("without prefixes the document is not served as embedded")
	}
	got := paths(documentFor(Options{Prefix: "/api", RedirectPrefix: "/r"}))
	want := "/api/auth/login /api/auth/logout /api/auth/refresh /api/auth/register /api/openapi/shortener.json " +
		"/api/urls /api/urls/{id} /api/users/me /r/{alias} /r/{alias}/qr"
	if got != want {
		t.Fatalf("paths = %s\nwant %s", got, want)
	}
}
