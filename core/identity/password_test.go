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

		// Seen accepted before the breached list (issue 7) and refused now.
		{"word digits symbol", def, "Password123!", "", "", "common"},
		{"walk digits symbol", def, "Qwerty123!", "", "", "common"},
		{"welcome digits symbol", def, "Welcome123!", "", "", "common"},
		{"season year symbol", def, "Summer2024!", "", "", "common"},
		{"leet and digit", def, "P@ssword1", "", "", "common"},
		// Other usual variants.
		{"leet throughout", def, "P4$$w0rd", "", "", "common"},
		{"leet one as l", def, "He11oKitty", "", "", "common"},
		{"year in front", def, "2024Dragon!", "", "", "common"},
		{"word space year", def, "sunshine 1999", "", "", "common"},
		{"leet digits and symbols", def, "Monk3y!!2023", "", "", "common"},
		{"cyrillic word digits", def, "Пароль2024", "", "", "common"},
		{"entry as is", def, "trustno1", "", "", "common"},
		{"six stripped", def, "dragon123456", "", "", "common"},
		// The stem rule keeps these: the stem is short or the tail long.
		{"readme walkthrough passphrase", def, "correct horse battery", "ada@example.com", "ada@example.com", ""},
		{"readme walkthrough random", def, "Xq7vLm2pZ", "danila_g", "danila@example.com", ""},
		{"short stem long tail", def, "Love#83521970", "", "", ""},
		{"seven stripped", def, "monkey#8271649", "", "", ""},
		{"three letter stem", def, "cat2024!!", "", "", ""},
		{"common words in a phrase", def, "summer dragon piano", "", "", ""},
		{"common word then letters", def, "Summer2024!xyz", "", "", ""},
		{"random with symbols", def, "v9#Lq2!mZr", "", "", ""},

		// The password must not be built around the login or email name.
		{"contains login", def, "Alicewonder2024", "alicewonder", "", "contains_login"},
		{"contains login leet", def, "@l1cewonder!x", "alicewonder", "", "contains_login"},
		{"contains email name", def, "my-danila-pass", "danila_g", "danila@example.com", "contains_email"},
		{"contains email name any case", def, "xDANILAx2024", "", "danila@example.com", "contains_email"},
		{"login that is an email", def, "zz-danila-zz", "danila@example.com", "", "contains_login"},
		{"contains whole email", def, "1danila@example.com", "", "danila@example.com", "contains_email"},
		{"short login may occur", def, "bobsleigh rider", "bob", "", ""},
		{"short email name may occur", def, "lemonade stand 7", "", "ada@example.com", ""},
		{"email domain may occur", def, "example of a phrase", "", "danila@example.com", ""},
		{"login check without blocklist", open, "xx-alicewonder", "alicewonder", "", "contains_login"},
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
		{"123456", true}, // first entry by frequency
		{"iloveyou", true},
		{"ILoveYou", true},
		{"qwertyui", true},
		{"12345678", true},
		{"zzzzzzzz", true},
		{"passw0rd", true},
		{"пароль", true},          // from curated.txt
		{"070162", true},          // the SecLists list's last line
		{"lytdybrbdfvgbhf", true}, // from its middle
		{"", false},
		{"password\n123456", false},
		{"ssword", false},         // a suffix of an entry is not an entry
		{"lytdybrbdfvgbh", false}, // nor is a prefix
		{"Password123!", false},   // a variant: refused by Check, not an entry
		{"correct horse battery staple 7", false},
	}
	for _, tt := range tests {
		got, err := identity.IsCommonPassword(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestCuratedPasswordList keeps the hand-kept part of the list
// well-formed: enough entries, lower-cased, sorted, unique, one per line
// with a final newline, each found in the embedded list.
func TestCuratedPasswordList(t *testing.T) {
	raw, err := os.ReadFile("passwords/curated.txt")
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
		if ok, err := identity.IsCommonPassword(line); !ok || err != nil {
			t.Errorf("line %d %q: not found by IsCommonPassword (%v)", n, line, err)
		}
		prev = line
	}
	if n < 1000 {
		t.Fatalf("list has %d entries, want at least 1000", n)
	}
}
