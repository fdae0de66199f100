package mongostore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gatehouse/ports"
)

// TestEveryCollectionIsArchived reads the collection names this package
// declares (its col* string constants) and fails on any that `gatehouse
// storage copy` would leave behind: a collection must be a ports.Collection's
// (archivedOf, or a sequence's home) or be rebuilt by the Archive and listed
// here with why. Collections are named only through those constants.
func TestEveryCollectionIsArchived(t *testing.T) {
	derived := map[string]string{
		colUserHandles:      "handle claims, made by each user put",
		colRevocations:      "the revocation stamp, written anew after each put of families",
		colVPNDeviceNumbers: "carried as the vpn_devices sequence; each device put claims its ID",
		colHealth:           "the readiness probe's document, written at every check",
	}
	archived := map[string]bool{}
	for _, c := range ports.Collections() {
		if c == ports.CollSequences {
			continue // kept in the numbered collections (sequenced)
		}
		ac, err := archivedOf(c)
		if err != nil {
			t.Fatalf("collection %s is not archived: %v", c, err)
		}
		archived[ac.name] = true
	}
	for name := range sequenced() {
		if _, err := archivedOf(name); err != nil {
			t.Errorf("sequence %s numbers a collection that is not archived", name)
		}
	}
	for name, where := range declaredCollections(t) {
		if !archived[name] && derived[name] == "" {
			t.Errorf("collection %q (%s) is in no ports.Collection and not listed as derived: a copy loses it", name, where)
		}
	}
}

// declaredCollections returns the value of every col* string constant of
// the package's non-test files, with where it is declared, and fails t on
// a collection named by a string literal.
func declaredCollections(tb testing.TB) map[string]string {
	tb.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if lit, ok := stringLit(n.Values, i); ok && strings.HasPrefix(id.Name, "col") {
						out[lit] = fset.Position(id.Pos()).String()
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if _, lit := stringLit(n.Args, 0); ok && lit && (sel.Sel.Name == "coll" || sel.Sel.Name == "Collection") {
					tb.Errorf("%s: a collection named by a literal: declare a col* constant", fset.Position(n.Pos()))
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		tb.Fatal("no col* constants found")
	}
	return out
}

// stringLit returns the string literal at exprs[i], if it is one.
func stringLit(exprs []ast.Expr, i int) (string, bool) {
	if i >= len(exprs) {
		return "", false
	}
	lit, ok := exprs[i].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
