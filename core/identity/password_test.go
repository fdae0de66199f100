package identity_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"gatehouse/core/identity"
)

func TestPasswordPolicyCheck(t *testing.T) {
	def := identity.DefaultPasswordPolicy()
	strict := identity.PasswordPolicy{MinLength: 12, MaxLength: 64, Blocklist: true}
	open := identity.PasswordPolicy{MinLength: 6, MaxLength: 128}
	tests := []struct {
		name     string
		policy   identity.PasswordPolicy
		password string
		login    string
		email    string
		rule     string
	}{
		{"ok", def, "correct horse battery", "alice", "alice@example.com", ""},
		{"ok exactly 8", def, "xk3#pq7z", "", "", ""},
		{"too short", def, "Xk3#pq7", "", "", "min_length"},
		{"empty", def, "", "", "", "min_length"},
		{"8 cyrillic code points", def, "ёжикнеё9", "", "", ""},
		{"7 cyrillic code points is short although 14 bytes", def, "ёжикнеё", "", "", "min_length"},
		{"128 ok", def, strings.Repeat("ab", 64), "", "", ""},
		{"129 too long", def, strings.Repeat("ab", 64) + "c", "", "", "max_length"},
		{"no composition rules", def, "lowercaseonlyletters", "", "", ""},
		{"common", def, "password", "", "", "common"},
		{"common any case", def, "PassWord1", "", "", "common"},
		{"common walk", def, "qwertyuiop", "", "", "common"},
		{"common year", def, "summer2024", "", "", "common"},
		{"common digits", def, "1234567890", "", "", "common"},
		{"same as login", def, "AliceWonder", "alicewonder", "", "same_as_login"},
		{"same as email", def, "Alice@Example.com", "alice", "alice@example.com", "same_as_email"},
		{"empty handles never match", def, "zebra-pancake-42", "", "", ""},
		{"blocklist off", open, "password", "", "", ""},
		{"stricter min", strict, "horse stapl", "", "", "min_length"},
		{"stricter ok", strict, "correct horse battery", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantField(t, tt.policy.Check(tt.password, tt.login, tt.email), "password", tt.rule)
		})
	}
}

func TestPasswordPolicyMessage(t *testing.T) {
	err := identity.DefaultPasswordPolicy().Check("short", "", "")
	if got, want := err.Error(), "password must be at least 8 characters"; !strings.Contains(got, want) {
		t.Fatalf("error %q does not say %q", got, want)
	}
}

func TestPasswordPolicyValidate(t *testing.T) {
	tests := []struct {
		policy identity.PasswordPolicy
		ok     bool
	}{
		{identity.DefaultPasswordPolicy(), true},
		{identity.PasswordPolicy{MinLength: 8, MaxLength: 8}, true},
		{identity.PasswordPolicy{}, false},
		{identity.PasswordPolicy{MinLength: 10, MaxLength: 9}, false},
	}
	for _, tt := range tests {
		if err := tt.policy.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%+v) = %v, want ok=%v", tt.policy, err, tt.ok)
		}
	}
}

func TestIsCommonPassword(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"123456", true}, // first-ish line
		{"iloveyou", true},
		{"ILoveYou", true},
		{"qwertyui", true},
		{"12345678", true},
		{"zzzzzzzz", true},
		{"passw0rd", true},
		{"пароль", true},
		{"", false},
		{"password\n123456", false},
		{"assword", false}, // a suffix of an entry is not an entry
		{"passwor", false},
		{"correct horse battery staple 7", false},
	}
	for _, tt := range tests {
		if got := identity.IsCommonPassword(tt.in); got != tt.want {
			t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestCommonPasswordList keeps the embedded list well-formed: enough
// entries, lower-cased, sorted, unique, one per line with a final newline.
func TestCommonPasswordList(t *testing.T) {
	raw, err := os.ReadFile("common_passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	data := string(raw)
	if !strings.HasSuffix(data, "\n") {
		t.Fatal("list must end with a newline")
	}
	var prev string
	n := 0
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		n++
		if line == "" || strings.TrimSpace(line) != line {
			t.Fatalf("line %d %q: empty or padded", n, line)
		}
		if strings.ToLower(line) != line {
			t.Errorf("line %d %q: not lower-cased", n, line)
		}
		if n > 1 && line <= prev {
			t.Errorf("line %d %q: not sorted after %q or duplicate", n, line, prev)
		}
		if !identity.IsCommonPassword(line) {
			t.Errorf("line %d %q: not found by IsCommonPassword", n, line)
		}
		prev = line
	}
	if n < 1000 {
		t.Fatalf("list has %d entries, want at least 1000", n)
	}
}
