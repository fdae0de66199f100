package passhash_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"gatehouse/adapters/passhash"
	"gatehouse/core/fault"
)

// fast are parameters cheap enough for tests; the format and logic are
// the same as at the defaults.
var fast = passhash.Options{Memory: 64, Time: 1, Threads: 1}

func newHasher(tb testing.TB, o passhash.Options) *passhash.Hasher {
	tb.Helper()
	h, err := passhash.New(o)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return h
}

func verify(tb testing.TB, h *passhash.Hasher, hash, password string) (ok, rehash bool) {
	tb.Helper()
	ok, rehash, err := h.Verify(context.Background(), hash, password)
	if err != nil {
		tb.Fatalf("Verify(%q): %v", hash, err)
	}
	return ok, rehash
}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashFormatAndRoundTrip(t *testing.T) {
	h := newHasher(t, passhash.Options{})
	hash, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(hash)
	if m == nil || m[1] != "19456" || m[2] != "2" || m[3] != "1" {
		t.Fatalf("hash %q is not $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt>$<32-byte key>", hash)
	}
	if ok, rehash := verify(t, h, hash, "correct horse battery staple"); !ok || rehash {
		t.Fatalf("Verify = %v, %v; want true, false", ok, rehash)
	}
	if ok, rehash := verify(t, h, hash, "correct horse battery stapl"); ok || rehash {
		t.Fatalf("wrong password: Verify = %v, %v; want false, false", ok, rehash)
	}
}

func TestSaltsDiffer(t *testing.T) {
	h := newHasher(t, fast)
	a, errA := h.Hash(context.Background(), "same password")
	b, errB := h.Hash(context.Background(), "same password")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a == b {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestEmptyAndUnicodePasswords(t *testing.T) {
	h := newHasher(t, fast)
	for _, pw := range []string{"", "пароль-ёж", "密码密码密码", strings.Repeat("x", 1000)} {
		hash, err := h.Hash(context.Background(), pw)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := verify(t, h, hash, pw); !ok {
			t.Errorf("%q does not verify", pw)
		}
		if ok, _ := verify(t, h, hash, pw+"x"); ok {
			t.Errorf("%q+x verifies", pw)
		}
	}
}

func TestBcrypt(t *testing.T) {
	h := newHasher(t, fast)
	generated, err := bcrypt.GenerateFromPassword([]byte("laravel-secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	g := string(generated) // $2a$
	tests := []struct {
		name, hash, password string
		ok                   bool
	}{
		{"x/crypto vector", "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga", "allmine", true},
		{"x/crypto vector wrong", "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga", "allmin", false},
		{"PHP manual $2y$", "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq", "rasmuslerdorf", true},
		{"PHP manual $2y$ wrong", "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq", "rasmuslerdorF", false},
		{"generated $2a$", g, "laravel-secret", true},
		{"generated as $2y$", "$2y$" + g[4:], "laravel-secret", true},
		{"generated as $2b$", "$2b$" + g[4:], "laravel-secret", true},
		{"generated as $2y$ wrong", "$2y$" + g[4:], "laravel-Secret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash := verify(t, h, tt.hash, tt.password)
			if ok != tt.ok || rehash != tt.ok {
				t.Fatalf("Verify = %v, %v; want %v, %v (bcrypt is always rehashed)", ok, rehash, tt.ok, tt.ok)
			}
		})
	}
}

// TestBcryptLongPassword checks PHP's behaviour: bytes past 72 are ignored.
func TestBcryptLongPassword(t *testing.T) {
	h := newHasher(t, fast)
	first72 := strings.Repeat("0123456789", 7) + "ab"
	hash, err := bcrypt.GenerateFromPassword([]byte(first72), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := verify(t, h, "$2y$"+string(hash[4:]), first72+"anything"); !ok {
		t.Fatal("a password longer than 72 bytes does not verify against its first 72")
	}
}

func TestRehashOnWeakerParameters(t *testing.T) {
	ctx := context.Background()
	weak := newHasher(t, passhash.Options{Memory: 64, Time: 1, SaltLen: 16, KeyLen: 32})
	tests := []struct {
		name   string
		cur    passhash.Options
		rehash bool
	}{
		{"same", passhash.Options{Memory: 64, Time: 1, SaltLen: 16, KeyLen: 32}, false},
		{"more memory", passhash.Options{Memory: 128, Time: 1, SaltLen: 16, KeyLen: 32}, true},
		{"more passes", passhash.Options{Memory: 64, Time: 2, SaltLen: 16, KeyLen: 32}, true},
		{"longer salt", passhash.Options{Memory: 64, Time: 1, SaltLen: 32, KeyLen: 32}, true},
		{"longer key", passhash.Options{Memory: 64, Time: 1, SaltLen: 16, KeyLen: 64}, true},
		{"more lanes only", passhash.Options{Memory: 64, Time: 1, Threads: 4, SaltLen: 16, KeyLen: 32}, false},
		{"cheaper now", passhash.Options{Memory: 32, Time: 1, SaltLen: 8, KeyLen: 16}, false},
	}
	hash, err := weak.Hash(ctx, "pw-for-rehash")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash := verify(t, newHasher(t, tt.cur), hash, "pw-for-rehash")
			if !ok || rehash != tt.rehash {
				t.Fatalf("Verify = %v, %v; want true, %v", ok, rehash, tt.rehash)
			}
		})
	}
}

func TestMalformedHashes(t *testing.T) {
	h := newHasher(t, fast)
	good, err := h.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	salt, key := parts[4], parts[5]
	tests := map[string]string{
		"empty":               "",
		"plain text":          "pw",
		"md5 crypt":           "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
		"argon2i":             join("", "argon2i", "v=19", "m=64,t=1,p=1", salt, key),
		"argon2id no version": join("", "argon2id", "m=64,t=1,p=1", salt, key),
		"argon2id v=16":       join("", "argon2id", "v=16", "m=64,t=1,p=1", salt, key),
		"params reordered":    join("", "argon2id", "v=19", "t=1,m=64,p=1", salt, key),
		"params missing":      join("", "argon2id", "v=19", "m=64,t=1", salt, key),
		"param not a number":  join("", "argon2id", "v=19", "m=lots,t=1,p=1", salt, key),
		"zero passes":         join("", "argon2id", "v=19", "m=64,t=0,p=1", salt, key),
		"zero lanes":          join("", "argon2id", "v=19", "m=64,t=1,p=0", salt, key),
		"lanes over 255":      join("", "argon2id", "v=19", "m=64,t=1,p=256", salt, key),
		"memory too small":    join("", "argon2id", "v=19", "m=4,t=1,p=1", salt, key),
		"memory too large":    join("", "argon2id", "v=19", "m=4294967295,t=1,p=1", salt, key),
		"bad salt base64":     join("", "argon2id", "v=19", "m=64,t=1,p=1", "!!!!", key),
		"padded salt":         join("", "argon2id", "v=19", "m=64,t=1,p=1", salt+"==", key),
		"short salt":          join("", "argon2id", "v=19", "m=64,t=1,p=1", "c2FsdA", key),
		"short key":           join("", "argon2id", "v=19", "m=64,t=1,p=1", salt, "a2V5"),
		"missing key":         join("", "argon2id", "v=19", "m=64,t=1,p=1", salt),
		"extra field":         good + "$x",
		"bcrypt short":        "$2a$10$fooo",
		"bcrypt cost 32":      "$2a$32$sssssssssssssssssssssshhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh",
		"bcrypt cost too big": "$2a$20$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga",
		"bcrypt $2x$":         "$2x$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga",
		"bcrypt no minor":     "$2$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga",
	}
	for name, hash := range tests {
		t.Run(name, func(t *testing.T) {
			ok, rehash, err := h.Verify(context.Background(), hash, "pw")
			if err == nil || ok || rehash {
				t.Fatalf("Verify = %v, %v, %v; want an error", ok, rehash, err)
			}
			if fault.CodeOf(err) != fault.Internal || fault.ReasonOf(err) != "passhash.malformed" {
				t.Fatalf("error %v: want fault.Internal passhash.malformed", err)
			}
			if hash != "" && len(hash) > 12 && strings.Contains(err.Error(), hash[len(hash)-8:]) {
				t.Fatalf("error %q leaks hash material", err)
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]passhash.Options{
		"memory below 8 per lane": {Memory: 8, Threads: 2},
		"short salt":              {SaltLen: 4},
		"short key":               {KeyLen: 8},
		"negative concurrency":    {Concurrency: -1},
		"too many passes":         {Time: 1000},
	} {
		if _, err := passhash.New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

func TestHashRandomFailure(t *testing.T) {
	o := fast
	o.Random = failingReader{}
	if _, err := newHasher(t, o).Hash(context.Background(), "pw"); err == nil {
		t.Fatal("Hash succeeded without a salt")
	}
}

func TestCancelledContext(t *testing.T) {
	h := newHasher(t, fast)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Hash(ctx, "pw")
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != "passhash.busy" || !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash on a cancelled context: %v; want fault.Unavailable passhash.busy wrapping context.Canceled", err)
	}
}
