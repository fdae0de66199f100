package identitysvc_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

const pw = "correct horse battery"

func TestRegisterAndAuthenticate(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{
		Login: " Alice ", Email: "Alice@Example.com", Password: pw,
		FirstName: " Alice ", LastName: "Liddell", Patronymic: " Charles ", Source: "shortener",
	})
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(u.ID) {
		t.Errorf("ID %q is not 128-bit hex", u.ID)
	}
	if u.Login != "alice" || u.Email != "alice@example.com" || u.FirstName != "Alice" || u.Patronymic != "Charles" ||
		u.Locale != identity.LocaleEN || u.Status != identity.StatusActive || u.Number < 1 ||
		!u.CreatedAt.Equal(epoch) || !u.UpdatedAt.Equal(epoch) || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("registered user = %+v", u)
	}
	for _, handle := range []string{"alice", "ALICE ", "alice@example.com", " Alice@EXAMPLE.com"} {
		got, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handle, Password: pw})
		if err != nil {
			t.Fatalf("Authenticate(%q): %v", handle, err)
		}
		if got.ID != u.ID {
			t.Fatalf("Authenticate(%q) = user %s, want %s", handle, got.ID, u.ID)
		}
	}
	p, err := f.svc.Profile(ctx, u.ID)
	if err != nil || p.ID != u.ID || p.Email != u.Email {
		t.Fatalf("Profile = %+v, %v", p, err)
	}
	_, err = f.svc.Profile(ctx, "nope")
	wantFault(t, err, fault.NotFound, "identity.user_not_found")
}

func TestRegisterEmailAsLogin(t *testing.T) {
	f := newFixture(t, nil)
	u := f.register(t, ports.Registration{Login: "Bob@Example.com", Password: pw, Locale: "ru"})
	if u.Login != "bob@example.com" || u.Email != "bob@example.com" || u.Locale != identity.LocaleRU {
		t.Fatalf("user = %+v; want login and email bob@example.com, locale ru", u)
	}
	if _, err := f.svc.Authenticate(context.Background(), ports.Credentials{Handle: "bob@example.com", Password: pw}); err != nil {
		t.Fatal(err)
	}
}

// TestAuthenticateLoginThatIsAnotherAddress covers a login shaped like an
// email that is not the account's email.
func TestAuthenticateLoginThatIsAnotherAddress(t *testing.T) {
	f := newFixture(t, nil)
	u := f.register(t, ports.Registration{Login: "old@example.com", Email: "new@example.com", Password: pw})
	for _, h := range []string{"old@example.com", "new@example.com"} {
		got, err := f.svc.Authenticate(context.Background(), ports.Credentials{Handle: h, Password: pw})
		if err != nil || got.ID != u.ID {
			t.Fatalf("Authenticate(%q) = %s, %v", h, got.ID, err)
		}
	}
}

func TestRegisterInvalid(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name   string
		r      ports.Registration
		fields []string // field/rule
	}{
		{"no login", ports.Registration{Email: "a@example.com", Password: pw}, []string{"login/required"}},
		{"short login", ports.Registration{Login: "ab", Password: pw}, []string{"login/min_length"}},
		{"bad login", ports.Registration{Login: "a b c", Password: pw}, []string{"login/charset"}},
		{"bad email", ports.Registration{Login: "carol", Email: "carol@", Password: pw}, []string{"email/format"}},
		{"short password", ports.Registration{Login: "carol", Password: "short"}, []string{"password/min_length"}},
		{"common password", ports.Registration{Login: "carol", Password: "iloveyou"}, []string{"password/common"}},
		{"password is login", ports.Registration{Login: "carolcarol", Password: "CarolCarol"}, []string{"password/same_as_login"}},
		{"password is email", ports.Registration{Login: "carol", Email: "c@example.com", Password: "c@example.com"}, []string{"password/same_as_email"}},
		{"bad locale", ports.Registration{Login: "carol", Password: pw, Locale: "de"}, []string{"locale/oneof"}},
		{"long name", ports.Registration{Login: "carol", Password: pw, FirstName: strings.Repeat("я", 257)}, []string{"first_name/max_length"}},
		{"long patronymic", ports.Registration{Login: "carol", Password: pw, Patronymic: strings.Repeat("я", 257)}, []string{"patronymic/max_length"}},
		{"everything", ports.Registration{Login: "x", Email: "nope", Password: "1", Locale: "fr"},
			[]string{"login/min_length", "email/format", "password/min_length", "locale/oneof"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Register(context.Background(), tt.r)
			fe, ok := fault.As(err)
			if !ok || fe.Code != fault.Invalid {
				t.Fatalf("error = %v; want fault.Invalid", err)
			}
			var got []string
			for _, fld := range fe.Fields {
				got = append(got, fld.Field+"/"+fld.Rule)
				if fld.Message == "" || !strings.Contains(fe.Message, fld.Message) {
					t.Errorf("message %q does not carry field message %q", fe.Message, fld.Message)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.fields) {
				t.Fatalf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
	if users, err := f.users.List(context.Background(), 0, 10); err != nil || len(users) != 0 {
		t.Fatalf("invalid registrations stored users: %v, %v", users, err)
	}
}

func TestRegisterConflicts(t *testing.T) {
	f := newFixture(t, nil)
	f.register(t, ports.Registration{Login: "dave", Email: "dave@example.com", Password: pw})
	_, err := f.svc.Register(context.Background(), ports.Registration{Login: "DAVE", Password: pw})
	wantFault(t, err, fault.Conflict, "identity.login_taken")
	_, err = f.svc.Register(context.Background(), ports.Registration{Login: "dave2", Email: "Dave@Example.com", Password: pw})
	wantFault(t, err, fault.Conflict, "identity.email_taken")
}

// TestConcurrentRegistrationOneEmail: of 16 sign-ups racing for one email,
// exactly one wins and the rest are told the email is taken.
func TestConcurrentRegistrationOneEmail(t *testing.T) {
	f := newFixture(t, nil)
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = f.svc.Register(context.Background(), ports.Registration{
				Login: fmt.Sprintf("racer%02d", i), Email: "race@example.com", Password: pw,
			})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantFault(t, err, fault.Conflict, "identity.email_taken")
	}
	if wins != 1 {
		t.Fatalf("%d registrations won, want exactly 1", wins)
	}
}

func TestBadCredentialsAreIndistinguishable(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "erin", Email: "erin@example.com", Password: pw})

	var seen []error
	for _, c := range []struct{ handle, password string }{
		{"erin", "wrong password"},
		{"erin@example.com", "wrong password"},
		{"nobody", pw},
		{"nobody@example.com", pw},
		{"", pw},
	} {
		before := f.hasher.verifies.Load()
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: c.handle, Password: c.password})
		wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")
		if d := f.hasher.verifies.Load() - before; d != 1 {
			t.Errorf("Authenticate(%q) ran %d password verifies, want 1 (same cost for unknown users)", c.handle, d)
		}
		seen = append(seen, err)
	}
	for _, err := range seen[1:] {
		if err.Error() != seen[0].Error() || fault.MessageOf(err) != fault.MessageOf(seen[0]) {
			t.Fatalf("errors differ: %q vs %q", err, seen[0])
		}
	}
}

func TestBlockedUser(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "frank", Password: pw})
	u.Status = identity.StatusBlocked
	if err := f.users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "frank", Password: "wrong password"})
	wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")
	_, err = f.svc.Authenticate(ctx, ports.Credentials{Handle: "frank", Password: pw})
	wantFault(t, err, fault.Forbidden, "identity.blocked")
}

// importBcryptUser stores a user as a Laravel import would: a $2y$ hash.
func importBcryptUser(tb testing.TB, users ports.UserStore, login, password string) identity.User {
	tb.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := users.Create(context.Background(), identity.User{
		ID: "imported-" + login, Login: login, PasswordHash: "$2y$" + string(h[4:]),
		Status: identity.StatusActive, Locale: identity.LocaleEN, CreatedAt: epoch, UpdatedAt: epoch,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestRehashBcryptOnLogin(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := importBcryptUser(t, f.users, "grace", "laravel password")

	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "grace", Password: "not it"}); fault.ReasonOf(err) != "identity.bad_credentials" {
		t.Fatalf("wrong password: %v", err)
	}
	if stored, _ := f.users.ByID(ctx, u.ID); stored.PasswordHash != u.PasswordHash {
		t.Fatal("a failed login changed the hash")
	}
	got, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "grace", Password: "laravel password"})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.users.ByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$") || got.PasswordHash != stored.PasswordHash {
		t.Fatalf("stored hash %q, returned %q; want the same new argon2id hash", stored.PasswordHash, got.PasswordHash)
	}
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "grace", Password: "laravel password"}); err != nil {
		t.Fatalf("login after rehash: %v", err)
	}
	if again, _ := f.users.ByID(ctx, u.ID); again.PasswordHash != stored.PasswordHash {
		t.Fatal("a current argon2id hash was rehashed again")
	}
}

func TestRehashFailureIsNotFatal(t *testing.T) {
	f := newFixture(t, func(s ports.UserStore) ports.UserStore { return brokenUpdates{s} })
	importBcryptUser(t, f.users, "heidi", "laravel password")
	u, err := f.svc.Authenticate(context.Background(), ports.Credentials{Handle: "heidi", Password: "laravel password"})
	if err != nil {
		t.Fatalf("Authenticate with a failing rehash: %v", err)
	}
	if !strings.HasPrefix(u.PasswordHash, "$2y$") {
		t.Fatalf("returned hash %q, want the stored bcrypt one", u.PasswordHash)
	}
	if log := f.log.String(); !strings.Contains(log, "rehash") || !strings.Contains(log, "disk on fire") ||
		strings.Contains(log, "laravel password") {
		t.Fatalf("log %q: want the rehash failure, without the password", log)
	}
}

func TestMalformedStoredHash(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if _, err := f.users.Create(ctx, identity.User{ID: "x1", Login: "ivan", PasswordHash: "plaintext", Status: identity.StatusActive}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "ivan", Password: "plaintext"})
	if fault.CodeOf(err) != fault.Internal {
		t.Fatalf("error = %v; want fault.Internal, never a sign-in", err)
	}
}

func TestNewChecksDeps(t *testing.T) {
	full, _ := baseDeps(t)
	if _, err := identitysvc.New(full); err != nil {
		t.Fatalf("New with all deps: %v", err)
	}
	for name, mutate := range map[string]func(*identitysvc.Deps){
		"no users":      func(d *identitysvc.Deps) { d.Users = nil },
		"no hasher":     func(d *identitysvc.Deps) { d.Hasher = nil },
		"no clock":      func(d *identitysvc.Deps) { d.Clock = nil },
		"no random":     func(d *identitysvc.Deps) { d.Random = nil },
		"no challenges": func(d *identitysvc.Deps) { d.Challenges = nil },
		"no cache":      func(d *identitysvc.Deps) { d.Cache = nil },
		"no sessions":   func(d *identitysvc.Deps) { d.Sessions = nil },
		"nil hook":      func(d *identitysvc.Deps) { d.Hooks = []ports.UserDeletionHook{nil} },
		"bad policy":    func(d *identitysvc.Deps) { d.Policy = identity.PasswordPolicy{MinLength: 9, MaxLength: 8} },
		"bad catalog": func(d *identitysvc.Deps) {
			d.Catalog = identity.Catalog{Roles: []identity.Role{{ID: 1, Name: "a"}, {ID: 1, Name: "b"}}}
		},
		"no entropy": func(d *identitysvc.Deps) { d.Random = strings.NewReader("") },
	} {
		d := full
		mutate(&d)
		if _, err := identitysvc.New(d); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestNoNotifierRefusesDeliveryToEveryoneAlike(t *testing.T) {
	d, _ := baseDeps(t)
	d.Notifier = nil
	svc, err := identitysvc.New(d)
	if err != nil {
		t.Fatalf("New without a notifier: %v", err)
	}
	ctx := context.Background()
	u, err := svc.Register(ctx, ports.Registration{Login: "nomail", Email: "nomail@example.com", Password: "a fine passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"nomail@example.com", "nobody@example.com"} {
		err := svc.StartPasswordReset(ctx, email, "198.51.100.7")
		if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != "identity.delivery_disabled" {
			t.Errorf("StartPasswordReset(%s) = %v, want unavailable identity.delivery_disabled", email, err)
		}
	}
	if err := svc.SendEmailConfirmation(ctx, u.ID); fault.ReasonOf(err) != "identity.delivery_disabled" {
		t.Errorf("SendEmailConfirmation = %v, want identity.delivery_disabled", err)
	}
}

func TestRegisterHonoursContext(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.svc.Register(ctx, ports.Registration{Login: "judy", Password: pw})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Register on a cancelled context: %v", err)
	}
}
