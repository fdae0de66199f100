package identity_test

import (
	"bytes"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

func TestOTPFromRandom(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{make([]byte, 8), "000000"},
		{[]byte{0, 0, 0, 0, 0, 0, 0, 7}, "000007"},
		{bytes.Repeat([]byte{0xff}, 8), "551615"},
	}
	for _, tt := range tests {
		if got, err := identity.OTPFromRandom(tt.in); err != nil || got != tt.want {
			t.Errorf("OTPFromRandom(%x) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := identity.OTPFromRandom(make([]byte, 4)); err == nil {
		t.Error("OTPFromRandom of 4 bytes: want an error")
	}
}

func TestCodeIDBindsPurposeRecipientAndKey(t *testing.T) {
	key := bytes.Repeat([]byte{1}, 32)
	base := identity.CodeID(key, identity.PurposePhoneLogin, "+79991234567", "123456")
	others := map[string]string{
		"purpose":   identity.CodeID(key, identity.PurposeEmailBind, "+79991234567", "123456"),
		"recipient": identity.CodeID(key, identity.PurposePhoneLogin, "+79991234568", "123456"),
		"code":      identity.CodeID(key, identity.PurposePhoneLogin, "+79991234567", "123457"),
		"key":       identity.CodeID(bytes.Repeat([]byte{2}, 32), identity.PurposePhoneLogin, "+79991234567", "123456"),
		"split":     identity.CodeID(key, identity.PurposePhoneLogin, "+7999123456", "7123456"),
	}
	for what, id := range others {
		if id == base {
			t.Errorf("another %s gives the same ID", what)
		}
	}
	if again := identity.CodeID(key, identity.PurposePhoneLogin, "+79991234567", "123456"); again != base || len(base) != 64 {
		t.Errorf("CodeID is not a stable hex SHA-256: %q then %q", base, again)
	}
	if identity.RecipientKey(key, identity.PurposePhoneLogin, "+79991234567") == identity.RecipientKey(key, identity.PurposeEmailBind, "+79991234567") {
		t.Error("RecipientKey ignores the purpose")
	}
}

func TestCodePolicyValidate(t *testing.T) {
	tests := []struct {
		name string
		p    identity.CodePolicy
		ok   bool
	}{
		{"defaults", identity.CodePolicy{}, true},
		{"ten minutes", identity.CodePolicy{TTL: 10 * time.Minute}, true},
		{"eleven minutes", identity.CodePolicy{TTL: 11 * time.Minute}, false},
		{"too many attempts", identity.CodePolicy{Attempts: 11}, false},
		{"cooldown past window", identity.CodePolicy{Cooldown: 2 * time.Hour}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
	d := identity.CodePolicy{}.WithDefaults()
	if d.TTL != 10*time.Minute || d.Attempts != 5 || d.Cooldown != time.Minute || d.Window != time.Hour {
		t.Errorf("defaults = %+v", d)
	}
}

func TestCodePolicyJudge(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	p := identity.CodePolicy{}
	live := identity.NewChallenge("x", p.Spec(identity.PurposeEmailBind, "a@example.com", "u1"), now.Add(-time.Minute))
	tests := []struct {
		name   string
		pr     identity.Presented
		at     time.Time
		reason string
	}{
		{"right code", identity.Presented{Attempt: 1, Found: true, Stored: live, Purpose: identity.PurposeEmailBind, UserID: "u1"}, now, ""},
		{"fifth attempt", identity.Presented{Attempt: 5, Found: true, Stored: live, Purpose: identity.PurposeEmailBind, UserID: "u1"}, now, ""},
		{"sixth attempt, right code", identity.Presented{Attempt: 6, Found: true, Stored: live, Purpose: identity.PurposeEmailBind, UserID: "u1"}, now, identity.ReasonCodeExhausted},
		{"sixth attempt, no code", identity.Presented{Attempt: 6, Purpose: identity.PurposeEmailBind}, now, identity.ReasonCodeExhausted},
		{"wrong code", identity.Presented{Attempt: 1, Purpose: identity.PurposeEmailBind, UserID: "u1"}, now, identity.ReasonCodeInvalid},
		{"other purpose", identity.Presented{Attempt: 1, Found: true, Stored: live, Purpose: identity.PurposePhoneLogin, UserID: "u1"}, now, identity.ReasonCodeInvalid},
		{"other account", identity.Presented{Attempt: 1, Found: true, Stored: live, Purpose: identity.PurposeEmailBind, UserID: "u2"}, now, identity.ReasonCodeInvalid},
		{"expired", identity.Presented{Attempt: 1, Found: true, Stored: live, Purpose: identity.PurposeEmailBind, UserID: "u1"}, now.Add(10 * time.Minute), identity.ReasonCodeExpired},
	}
	for _, tt := range tests {
		err := p.Judge(tt.pr, tt.at)
		if fault.ReasonOf(err) != tt.reason || (tt.reason == "") != (err == nil) {
			t.Errorf("%s: Judge = %v, want reason %q", tt.name, err, tt.reason)
		}
	}
}

func TestErrCodeCooldownRoundsUp(t *testing.T) {
	fe, ok := fault.As(identity.ErrCodeCooldown(1500 * time.Millisecond))
	if !ok || fe.Code != fault.RateLimited || fe.RetryAfter != 2*time.Second {
		t.Fatalf("ErrCodeCooldown = %+v", fe)
	}
}
