package app

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// layerViolation says why package from may not import package to (both
// relative to the module root), or "" when it may. It is DESIGN.md §2.
func layerViolation(from, to string) string {
	in := func(p string, roots ...string) bool {
		for _, r := range roots {
			if p == r || strings.HasPrefix(p, r+"/") {
				return true
			}
		}
		return false
	}
	switch {
	case strings.HasPrefix(from, "core/") && strings.HasSuffix(from, "svc"):
		if !in(to, "core", "ports") {
			return "use cases import only core and ports"
		}
	case in(from, "core"):
		if !in(to, "core") {
			return "the core model imports only core"
		}
	case in(from, "ports"):
		if !in(to, "core", "ports") {
			return "ports import only core"
		}
	case in(from, "adapters"):
		switch {
		case in(to, "app"):
			return "adapters never import app"
		case in(to, "config"):
			return "adapters take their own settings, not config"
		case in(to, "adapters") && strings.Split(from, "/")[1] != strings.Split(to, "/")[1]:
			return "adapters of one kind never import another kind"
		}
	case in(from, "config"):
		if in(to, "core", "ports", "adapters", "app") {
			return "config is plain settings and imports none of the hexagon"
		}
	}
	return ""
}

func TestLayerRuleCatchesWrongImports(t *testing.T) {
	tests := []struct {
		from, to string
		bad      bool
	}{
		{"core/identity", "core/fault", false},
		{"core/identity", "ports", true},
		{"core/identity/identitysvc", "ports", false},
		{"core/identity/identitysvc", "adapters/memstore", true},
		{"ports", "core/sessions", false},
		{"ports", "adapters/memstore", true},
		{"ports/porttest", "ports", false},
		{"adapters/mongostore", "ports", false},
		{"adapters/mongostore", "adapters/mongostore/embedded", false},
		{"adapters/mongostore", "adapters/rediscache", true},
		{"adapters/httpapi/authv1", "adapters/httpapi", false},
		{"adapters/httpapi", "config", true},
		{"adapters/httpapi", "app", true},
		{"app", "adapters/memstore", false},
	}
	for _, tt := range tests {
		if got := layerViolation(tt.from, tt.to) != ""; got != tt.bad {
			t.Errorf("%s -> %s: violation %v, want %v", tt.from, tt.to, got, tt.bad)
		}
	}
}

// TestDependencyRule fails on any import in the repository that breaks DESIGN.md §2.
func TestDependencyRule(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "gatehouse/"
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		from := strings.TrimPrefix(fields[0], mod)
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			checked++
			if why := layerViolation(from, strings.TrimPrefix(imp, mod)); why != "" {
				t.Errorf("%s imports %s: %s", from, imp, why)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no imports inside the module were checked")
	}
}
