package jwtsign_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/adapters/jwtsign"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

func codeKey(tb testing.TB, c *jwtsign.CodeKeys) []byte {
	tb.Helper()
	k, err := c.CodeKey(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if len(k) != 32 {
		tb.Fatalf("code key has %d bytes, want 32", len(k))
	}
	return k
}

func TestCodeKeysFromSecretAndFile(t *testing.T) {
	secret := strings.Repeat("s", 32)
	a, err := jwtsign.NewCodeKeys(secret, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := jwtsign.NewCodeKeys(secret, nil, nil)
	if !bytes.Equal(codeKey(t, a), codeKey(t, b)) || bytes.Equal(codeKey(t, a), []byte(secret)) {
		t.Fatal("one secret must give one derived key, not the secret itself")
	}
	if _, err := jwtsign.NewCodeKeys("short", nil, nil); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
	file := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(file, []byte("-----BEGIN PRIVATE KEY-----\nxyz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := jwtsign.NewCodeKeys("", []string{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(codeKey(t, f), codeKey(t, a)) {
		t.Fatal("the file and the secret give one key")
	}
}

// TestCodeKeysOutliveRotation: the key comes from the first generation,
// so keys added by rotation change nothing, and two replicas agree.
func TestCodeKeysOutliveRotation(t *testing.T) {
	ctx := context.Background()
	store := &fakeKeys{}
	c, err := jwtsign.NewCodeKeys("", nil, store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CodeKey(ctx); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("CodeKey before any key = %v; want Unavailable", err)
	}
	add := func(gen int64, pem string) {
		if err := store.AddKey(ctx, sessions.SigningKey{ID: pem, Generation: gen, PrivatePEM: []byte(pem)}); err != nil {
			t.Fatal(err)
		}
	}
	add(1, "first")
	first := codeKey(t, c)
	add(2, "second")
	other, _ := jwtsign.NewCodeKeys("", nil, store)
	if !bytes.Equal(codeKey(t, other), first) {
		t.Fatal("a replica reading after a rotation derives another key")
	}
}
