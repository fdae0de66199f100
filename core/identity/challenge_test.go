package identity_test

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

func TestTokenFromRandom(t *testing.T) {
	b := bytes.Repeat([]byte{0xfb, 0xff}, 16)
	got, err := identity.TokenFromRandom(b)
	if err != nil || !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(got) {
		t.Fatalf("TokenFromRandom = %q, %v; want 43 base64url characters", got, err)
	}
	if _, err := identity.TokenFromRandom(b[:31]); err == nil {
		t.Fatal("TokenFromRandom of 31 bytes succeeded")
	}
}

func TestHashSecret(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 appendix B.1.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := identity.HashSecret("abc"); got != want {
		t.Fatalf("HashSecret(abc) = %s, want %s", got, want)
	}
}

func TestNewChallengeAndCheck(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c := identity.NewChallenge("secret", identity.ChallengeSpec{
		Purpose: identity.PurposePasswordReset, UserID: "u1", Target: "a@example.com",
	}, now)
	want := identity.Challenge{
		ID: identity.HashSecret("secret"), Purpose: identity.PurposePasswordReset, UserID: "u1",
		Target: "a@example.com", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute), MaxAttempts: 5,
	}
	if c != want {
		t.Fatalf("NewChallenge = %+v\nwant %+v", c, want)
	}
	custom := identity.NewChallenge("s", identity.ChallengeSpec{TTL: time.Minute, MaxAttempts: 3}, now)
	if !custom.ExpiresAt.Equal(now.Add(time.Minute)) || custom.MaxAttempts != 3 {
		t.Fatalf("custom challenge = %+v", custom)
	}

	tests := []struct {
		name    string
		purpose identity.Purpose
		at      time.Time
		attempt int
		ok      bool
	}{
		{"first attempt", identity.PurposePasswordReset, now, 1, true},
		{"last attempt, last instant", identity.PurposePasswordReset, now.Add(10*time.Minute - 1), 5, true},
		{"other purpose", identity.PurposeEmailConfirm, now, 1, false},
		{"expired", identity.PurposePasswordReset, now.Add(10 * time.Minute), 1, false},
		{"budget spent", identity.PurposePasswordReset, now, 6, false},
		{"no attempt counted", identity.PurposePasswordReset, now, 0, false},
	}
	for _, tt := range tests {
		err := c.Check(tt.purpose, tt.at, tt.attempt)
		if tt.ok != (err == nil) {
			t.Errorf("%s: Check = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && (fault.CodeOf(err) != fault.Unauthenticated || fault.ReasonOf(err) != "identity.challenge_invalid") {
			t.Errorf("%s: Check = %v, want identity.challenge_invalid", tt.name, err)
		}
	}
	if len(identity.Purposes()) != 6 {
		t.Fatalf("Purposes = %v", identity.Purposes())
	}
}

func TestBackoffDelay(t *testing.T) {
	b := identity.Backoff{Free: 5, Base: time.Second, Max: time.Minute}
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {5, 0}, {6, time.Second}, {7, 2 * time.Second}, {10, 16 * time.Second},
		{11, 32 * time.Second}, {12, time.Minute}, {1000, time.Minute},
	}
	for _, tt := range tests {
		if got := b.Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
	if d := (identity.Backoff{Free: 1}).Delay(50); d != 0 {
		t.Errorf("a zero Base delays %v", d)
	}
}
