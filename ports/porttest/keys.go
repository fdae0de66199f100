package porttest

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// RunKeyStore checks the ports.KeyStore contract. newStore must return an
// empty store of its own on every call.
func RunKeyStore(t *testing.T, newStore func(tb testing.TB) ports.KeyStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.KeyStore)
	}{
		{"AddKey round-trips; Keys lists highest Generation first", keyAdd},
		{"AddKey refuses a taken ID or Generation", keyTaken},
		{"RetireKey sets RetiredAt and NotAfter", keyRetire},
		{"Keys are copies", keyCopies},
		{"Concurrent AddKey of one Generation: exactly one wins", keyRace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

func signingKey(id string, gen int64) sessions.SigningKey {
	return sessions.SigningKey{
		ID: id, Algorithm: "EdDSA", Generation: gen,
		PrivatePEM: []byte("-----BEGIN PRIVATE KEY-----\n" + id + "\n-----END PRIVATE KEY-----\n"),
		PublicPEM:  []byte("-----BEGIN PUBLIC KEY-----\n" + id + "\n-----END PUBLIC KEY-----\n"),
		CreatedAt:  at(int(gen)),
	}
}

func normKey(k sessions.SigningKey) sessions.SigningKey {
	k.CreatedAt, k.RetiredAt, k.NotAfter = ms(k.CreatedAt), ms(k.RetiredAt), ms(k.NotAfter)
	if len(k.PrivatePEM) == 0 {
		k.PrivatePEM = nil
	}
	if len(k.PublicPEM) == 0 {
		k.PublicPEM = nil
	}
	return k
}

func keys(tb testing.TB, s ports.KeyStore) []sessions.SigningKey {
	tb.Helper()
	ks, err := s.Keys(tb.Context())
	must(tb, err, "Keys")
	return ks
}

func keyAdd(t *testing.T, s ports.KeyStore) {
	if ks := keys(t, s); len(ks) != 0 {
		t.Fatalf("a new store has %d keys", len(ks))
	}
	want := []sessions.SigningKey{signingKey("k3", 3), signingKey("k10", 10), signingKey("k1", 1)}
	want[1].Algorithm = "ES256"
	want[2].RetiredAt, want[2].NotAfter = at(20), at(50)
	for _, k := range want {
		must(t, s.AddKey(t.Context(), k), "AddKey "+k.ID)
	}
	got := keys(t, s)
	slices.SortFunc(want, func(a, b sessions.SigningKey) int { return cmp.Compare(b.Generation, a.Generation) })
	if len(got) != len(want) {
		t.Fatalf("Keys: %d, want %d", len(got), len(want))
	}
	for i := range want {
		wantEqual(t, got[i], want[i], normKey, fmt.Sprintf("Keys[%d]", i))
	}
}

func keyTaken(t *testing.T, s ports.KeyStore) {
	first := signingKey("k1", 1)
	must(t, s.AddKey(t.Context(), first), "AddKey")
	for name, k := range map[string]sessions.SigningKey{
		"taken ID":         signingKey("k1", 2),
		"taken Generation": signingKey("k2", 1),
	} {
		wantFault(t, s.AddKey(t.Context(), k), fault.Conflict, sessions.ReasonKeyExists, "AddKey with a "+name)
	}
	got := keys(t, s)
	if len(got) != 1 {
		t.Fatalf("Keys after refused AddKeys: %d, want 1", len(got))
	}
	wantEqual(t, got[0], first, normKey, "the stored key")
}

func keyRetire(t *testing.T, s ports.KeyStore) {
	must(t, s.AddKey(t.Context(), signingKey("k1", 1)), "AddKey")
	must(t, s.AddKey(t.Context(), signingKey("k2", 2)), "AddKey")
	must(t, s.RetireKey(t.Context(), "k1", at(30), at(60)), "RetireKey")
	got := keys(t, s)
	want := signingKey("k1", 1)
	want.RetiredAt, want.NotAfter = at(30), at(60)
	wantEqual(t, got[1], want, normKey, "retired key")
	if !got[1].Retired() || got[0].Retired() {
		t.Fatalf("Retired(): k2 %v, k1 %v; want false, true", got[0].Retired(), got[1].Retired())
	}
	err := s.RetireKey(t.Context(), "nope", at(30), at(60))
	wantFault(t, err, fault.NotFound, sessions.ReasonKeyNotFound, "RetireKey of an unknown key")
}

func keyCopies(t *testing.T, s ports.KeyStore) {
	in := signingKey("k1", 1)
	must(t, s.AddKey(t.Context(), in), "AddKey")
	in.PrivatePEM[0], in.PublicPEM[0] = 'X', 'X'
	got := keys(t, s)
	got[0].PrivatePEM[0], got[0].PublicPEM[0] = 'Y', 'Y'
	if again := keys(t, s); !reflect.DeepEqual(normKey(again[0]), normKey(signingKey("k1", 1))) {
		t.Fatalf("stored key changed through a caller's slice: %q", again[0].PrivatePEM)
	}
}

func keyRace(t *testing.T, s ports.KeyStore) {
	must(t, s.AddKey(t.Context(), signingKey("k0", 1)), "AddKey")
	errs := race(racers, func(i int) error {
		return s.AddKey(t.Context(), signingKey(fmt.Sprintf("k-%d", i), 2))
	})
	w := oneWinner(t, errs, fault.Conflict, sessions.ReasonKeyExists)
	got := keys(t, s)
	if len(got) != 2 {
		t.Fatalf("after the race: %d keys, want 2", len(got))
	}
	if want := fmt.Sprintf("k-%d", w); got[0].ID != want {
		t.Fatalf("after the race the newest key is %q, want the winner %q", got[0].ID, want)
	}
}
