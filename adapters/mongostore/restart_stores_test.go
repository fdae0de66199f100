package mongostore_test

import (
	"path/filepath"
	"testing"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// Links, their counts and aliases, and challenges with their uses survive
// a restart of the embedded server on the same dir.
func TestEmbeddedRestartKeepsLinksAndChallenges(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, c := startEmbedded(t, dir)
	ls, cs := mongostore.NewLinkStore(c), mongostore.NewChallengeStore(c)
	mustCreateLink(t, ls, link("l", "alias", "u", t0))
	if _, err := ls.AddRedirects(t.Context(), map[string]int64{"l": 5}); err != nil {
		t.Fatalf("AddRedirects: %v", err)
	}
	mustAdd(t, cs, challenge("used", "u", identity.PurposePasswordReset, t0))
	mustAdd(t, cs, challenge("fresh", "u", identity.PurposePasswordReset, t0))
	if err := cs.ConsumeChallenge(t.Context(), "used"); err != nil {
		t.Fatalf("ConsumeChallenge: %v", err)
	}
	shutdown(t, s, c)

	s, c = startEmbedded(t, dir)
	defer shutdown(t, s, c)
	ls, cs = mongostore.NewLinkStore(c), mongostore.NewChallengeStore(c)
	if got, err := ls.LinkByAlias(t.Context(), "alias"); err != nil || got.Redirects != 5 {
		t.Fatalf("LinkByAlias after restart = %+v, %v; want 5 redirects", got, err)
	}
	if err := ls.CreateLink(t.Context(), link("m", "alias", "u", t0)); fault.ReasonOf(err) != "links.alias_taken" {
		t.Fatalf("CreateLink with a taken alias after restart: %v, want alias_taken", err)
	}
	if err := cs.ConsumeChallenge(t.Context(), "used"); fault.ReasonOf(err) != "identity.challenge_used" {
		t.Fatalf("ConsumeChallenge of a used one after restart: %v, want challenge_used", err)
	}
	if err := cs.ConsumeChallenge(t.Context(), "fresh"); err != nil {
		t.Fatalf("ConsumeChallenge of a fresh one after restart: %v", err)
	}
}
