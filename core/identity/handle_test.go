package identity_test

import (
	"strings"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// wantField checks that err is fault.Invalid naming field and rule, or nil
// when rule is empty.
func wantField(tb testing.TB, err error, field, rule string) {
	tb.Helper()
	if rule == "" {
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return
	}
	fe, ok := fault.As(err)
	if !ok || fe.Code != fault.Invalid {
		tb.Fatalf("error = %v, want fault.Invalid", err)
	}
	if len(fe.Fields) != 1 || fe.Fields[0].Field != field || fe.Fields[0].Rule != rule {
		tb.Fatalf("fields = %+v, want %s/%s", fe.Fields, field, rule)
	}
	if fe.Fields[0].Message == "" || fe.Message == "" {
		tb.Fatalf("empty message in %+v", fe)
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Alice@Example.COM ", "alice@example.com"},
		{"bob+tag@mail.example.org", "bob+tag@mail.example.org"},
		{"First.Last@EXAMPLE.com\t", "first.last@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := identity.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com" // 254 bytes
	tests := []struct {
		in, rule string
	}{
		{"alice@example.com", ""},
		{"a@b.co", ""},
		{"bob+tag@mail.example.org", ""},
		{"иван@пример.рф", ""},
		{long, ""},
		{long[1:] + "m", ""},
		{"x" + long, "max_length"},
		{"", "required"},
		{"alice", "format"},
		{"alice@", "format"},
		{"@example.com", "format"},
		{"a@b@example.com", "format"},
		{"alice@localhost", "format"},
		{"alice@.com", "format"},
		{"alice@example.", "format"},
		{"alice@example..com", "format"},
		{"al ice@example.com", "format"},
		{"alice@exa\tmple.com", "format"},
		{"alice\x00@example.com", "format"},
		{"alice\u00a0@example.com", "format"},
		{"alice\xff@example.com", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			wantField(t, identity.ValidateEmail(tt.in), "email", tt.rule)
		})
	}
}

func TestNormalizeLogin(t *testing.T) {
	tests := []struct{ in, want string }{
		{" Alice ", "alice"},
		{"BOB_99", "bob_99"},
		{"Alice@Example.com", "alice@example.com"},
	}
	for _, tt := range tests {
		if got := identity.NormalizeLogin(tt.in); got != tt.want {
			t.Errorf("NormalizeLogin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateLogin(t *testing.T) {
	tests := []struct {
		in, rule string
	}{
		{"abc", ""},
		{"alice.smith_99-x", ""},
		{strings.Repeat("a", 64), ""},
		{"alice@example.com", ""},
		{"", "required"},
		{"ab", "min_length"},
		{strings.Repeat("a", 65), "max_length"},
		{"Alice", "charset"},
		{"ali ce", "charset"},
		{"алиса", "charset"},
		{"alice!", "charset"},
		{"alice@", "format"},
		{"alice@localhost", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			wantField(t, identity.ValidateLogin(tt.in), "login", tt.rule)
		})
	}
}

func TestLooksLikeEmail(t *testing.T) {
	if !identity.LooksLikeEmail("a@b.c") || identity.LooksLikeEmail("alice") {
		t.Fatal("LooksLikeEmail: wrong answer")
	}
}
