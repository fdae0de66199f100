package mongostore_test

import (
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

func TestTouchFamily(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewSessionStore(c)
	f := sessions.Family{ID: "f", UserID: "u", CreatedAt: t0, Kind: sessions.KindOpaque, TokenHash: "h"}
	if err := s.CreateFamily(t.Context(), f); err != nil {
		t.Fatalf("CreateFamily: %v", err)
	}
	steps := []struct {
		at, want time.Time
	}{
		{t0.Add(time.Minute), t0.Add(time.Minute)},         // from never touched
		{t0.Add(3 * time.Minute), t0.Add(3 * time.Minute)}, // forward
		{t0.Add(2 * time.Minute), t0.Add(3 * time.Minute)}, // never back
	}
	for _, st := range steps {
		got, err := s.TouchFamily(t.Context(), "f", st.at)
		want := f
		want.LastUsedAt = st.want
		if err != nil || got != want {
			t.Fatalf("TouchFamily(%v) = %+v, %v; want %+v", st.at, got, err, want)
		}
	}
	if _, err := s.TouchFamily(t.Context(), "nope", t0); fault.ReasonOf(err) != "sessions.family_not_found" {
		t.Fatalf("TouchFamily of unknown: %v, want family_not_found", err)
	}
}

// Touches racing a revocation never undo it.
func TestRaceTouchKeepsRevocation(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewSessionStore(c)
	if err := s.CreateFamily(t.Context(), sessions.Family{ID: "f", UserID: "u", CreatedAt: t0}); err != nil {
		t.Fatalf("CreateFamily: %v", err)
	}
	errs := race(func(i int) error {
		if i == 0 {
			return s.RevokeFamily(t.Context(), "f", t0, "logout")
		}
		_, err := s.TouchFamily(t.Context(), "f", t0.Add(time.Duration(i)*time.Second))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	f, err := s.Family(t.Context(), "f")
	if err != nil || !f.Revoked() || !f.LastUsedAt.Equal(t0.Add((racers-1)*time.Second)) {
		t.Fatalf("after the race: %+v, %v; want revoked, last used at the latest touch", f, err)
	}
}
