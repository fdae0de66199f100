package sessions_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func testPolicy() sessions.Policy {
	return sessions.Policy{Issuer: "gh", Audience: "app"}.WithDefaults()
}

func TestNewID(t *testing.T) {
	tests := []struct {
		n       int
		wantErr bool
	}{{0, true}, {15, true}, {16, false}, {32, false}}
	for _, tt := range tests {
		id, err := sessions.NewID(bytes.Repeat([]byte{0xfb}, tt.n))
		if (err != nil) != tt.wantErr {
			t.Fatalf("NewID(%d bytes) err = %v, wantErr %v", tt.n, err, tt.wantErr)
		}
		if err == nil && (id == "" || bytes.ContainsAny([]byte(id), "+/=")) {
			t.Fatalf("NewID(%d bytes) = %q, want non-empty base64url", tt.n, id)
		}
	}
}

func TestNewRefreshSecret(t *testing.T) {
	tests := []struct {
		n       int
		wantErr bool
	}{{31, true}, {33, true}, {32, false}}
	for _, tt := range tests {
		tok, hash, err := sessions.NewRefreshSecret(bytes.Repeat([]byte{0xff}, tt.n))
		if (err != nil) != tt.wantErr {
			t.Fatalf("%d bytes: err = %v, wantErr %v", tt.n, err, tt.wantErr)
		}
		if err != nil {
			continue
		}
		if len(tok) != 43 || bytes.ContainsAny([]byte(tok), "+/=") {
			t.Fatalf("token %q is not 43 base64url chars", tok)
		}
		if hash != sessions.HashRefresh(tok) || len(hash) != 64 {
			t.Fatalf("hash %q does not match HashRefresh", hash)
		}
	}
}

func TestHashRefresh(t *testing.T) {
	// The SHA-256 of "abc" is a published test vector.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := sessions.HashRefresh("abc"); got != want {
		t.Fatalf("HashRefresh(abc) = %s, want %s", got, want)
	}
	if sessions.HashRefresh("a") == sessions.HashRefresh("b") {
		t.Fatal("different tokens share a hash")
	}
}

func TestFamilyAndTokens(t *testing.T) {
	p := testPolicy()
	f := sessions.NewFamily(p, "fam", "u1", "dev", "", t0)
	if f.Audience != "app" || !f.ExpiresAt.Equal(t0.Add(p.SessionTTL)) || f.Revoked() {
		t.Fatalf("family = %+v", f)
	}
	first := sessions.FirstRefresh(p, f, "h1", t0)
	if first.Seq != 1 || first.FamilyID != "fam" || first.UserID != "u1" || !first.ExpiresAt.Equal(t0.Add(p.RefreshTTL)) {
		t.Fatalf("first = %+v", first)
	}
	later := t0.Add(p.SessionTTL - time.Hour)
	next := sessions.NextRefresh(p, f, first, "h2", later)
	if next.Seq != 2 || next.Hash != "h2" || !next.IssuedAt.Equal(later) {
		t.Fatalf("next = %+v", next)
	}
	if !next.ExpiresAt.Equal(f.ExpiresAt) {
		t.Fatalf("next expires %s, want capped at family end %s", next.ExpiresAt, f.ExpiresAt)
	}
}

func TestCheckRefresh(t *testing.T) {
	p := testPolicy()
	f := sessions.NewFamily(p, "fam", "u1", "dev", "app", t0)
	tok := sessions.FirstRefresh(p, f, "h1", t0)
	revoked := f
	revoked.RevokedAt, revoked.Reason = t0.Add(time.Minute), "logout"
	other := tok
	other.FamilyID = "other"
	tests := []struct {
		name  string
		f     sessions.Family
		tok   sessions.RefreshToken
		now   time.Time
		cause error // nil means accepted
	}{
		{"fresh", f, tok, t0, nil},
		{"just before expiry", f, tok, tok.ExpiresAt.Add(-time.Nanosecond), nil},
		{"at expiry", f, tok, tok.ExpiresAt, sessions.ErrRefreshExpired},
		{"revoked family", revoked, tok, t0.Add(2 * time.Minute), sessions.ErrFamilyRevoked},
		{"family ended", f, tok, f.ExpiresAt, sessions.ErrFamilyExpired},
		{"token of another family", f, other, t0, sessions.ErrRefreshUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sessions.CheckRefresh(tt.f, tt.tok, tt.now)
			if tt.cause == nil {
				if err != nil {
					t.Fatalf("CheckRefresh = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.cause) {
				t.Fatalf("CheckRefresh = %v, want cause %v", err, tt.cause)
			}
			if fault.CodeOf(err) != fault.Unauthenticated || fault.ReasonOf(err) != sessions.ReasonRefreshInvalid {
				t.Fatalf("CheckRefresh = %v, want unauthenticated %s", err, sessions.ReasonRefreshInvalid)
			}
		})
	}
}
