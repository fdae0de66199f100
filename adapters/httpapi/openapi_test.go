package httpapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi"
)

func TestMountDocument(t *testing.T) {
	raw := []byte(`{"openapi":"3.0.3","paths":{"/a":{},"/{alias}":{}}}`)
	paths := func(d httpapi.Document) []string {
		var doc struct{ Paths map[string]any }
		if err := json.Unmarshal(d, &doc); err != nil {
			t.Fatal(err)
		}
		var out []string
		for p := range doc.Paths {
			out = append(out, p)
		}
		slices.Sort(out)
		return out
	}
	if got := httpapi.MountDocument(raw, httpapi.Under("")); string(got) != string(raw) {
		t.Fatalf("unmoved document changed: %s", got)
	}
	if got := paths(httpapi.MountDocument(raw, httpapi.Under("/x"))); !slices.Equal(got, []string{"/x/a", "/x/{alias}"}) {
		t.Fatalf("under /x: %v", got)
	}
	redirects := func(p string) string {
		if strings.HasPrefix(p, "/{alias}") {
			return "/r"
		}
		return ""
	}
	if got := paths(httpapi.MountDocument(raw, redirects)); !slices.Equal(got, []string{"/a", "/r/{alias}"}) {
		t.Fatalf("redirects under /r: %v", got)
	}
	if got := httpapi.MountDocument([]byte("not json"), httpapi.Under("/x")); string(got) != "not json" {
		t.Fatalf("a broken document is served as it is, got %s", got)
	}
}
