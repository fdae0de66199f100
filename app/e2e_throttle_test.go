package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// cheapHashes keeps argon2id at its smallest accepted cost, for tests
// that make many accounts.
var cheapHashes = []string{"GATEHOUSE_STORAGE_DRIVER=memory", "GATEHOUSE_PASSWORD_MEMORY_KIB=8192", "GATEHOUSE_PASSWORD_ITERATIONS=1"}

// TestRegistrationQuotaSharedAcrossContracts: sign-ups through contracts
// 002, 003 and 004 from one address spend one hourly quota of 100; once it
// is spent every contract refuses with 429 and a Retry-After.
func TestRegistrationQuotaSharedAcrossContracts(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a hundred accounts")
	}
	svc := startService(t, cheapHashes...)
	type signUp struct {
		contract, path string
		body           func(i int) string
	}
	contracts := []signUp{
		{"002", "/auth/register", func(i int) string {
			return fmt.Sprintf(`{"username":"quota_%s","email":"q2_%s@example.com","password":"Xq7vLm2pZ"}`, letters(i), letters(i))
		}},
		{"003", "/v1/user", func(i int) string {
			return fmt.Sprintf(`{"login":"q3_%s@example.com","password":"Xq7vLm2pZ"}`, letters(i))
		}},
		{"004", "/account/registration", func(i int) string {
			return fmt.Sprintf(`{"login":"quota_%s_four","password":"Xq7vLm2pZ","email":"q4_%s@example.com","first_name":"Данила","last_name":"Гинда"}`, letters(i), letters(i))
		}},
	}
	for i := range 100 {
		c := contracts[i%3]
		if code := svc.call(t, "POST", c.path, c.body(i), nil, nil); code/100 != 2 {
			t.Fatalf("sign-up %d through %s: %d", i, c.contract, code)
		}
	}
	for _, c := range contracts {
		code, retry := svc.callRetry(t, c.path, c.body(1000))
		if code != http.StatusTooManyRequests || retry <= 0 {
			t.Errorf("%s after the shared quota: %d, Retry-After %d; want 429 with a wait", c.contract, code, retry)
		}
	}
}

// TestOneSignInBudgetAcrossHandles: wrong passwords by email through
// contract 002 and by login through contract 003 spend one account's
// budget: after the free six the next attempt, by either, waits.
func TestOneSignInBudgetAcrossHandles(t *testing.T) {
	svc := startService(t, cheapHashes...)
	if code := svc.call(t, "POST", "/auth/register", `{"username":"budget","email":"budget@example.com","password":"Xq7vLm2pZ"}`, nil, nil); code != 201 {
		t.Fatalf("register: %d", code)
	}
	byEmail := func() (int, int) {
		return svc.callRetry(t, "/auth/login", `{"email":"budget@example.com","password":"wrong one"}`)
	}
	byLogin := func() (int, int) {
		return svc.callRetry(t, "/v1/auth/login", `{"username":"budget","password":"wrong one"}`)
	}
	for i := range 6 {
		try := byEmail
		if i%2 == 1 {
			try = byLogin
		}
		if code, _ := try(); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	for name, try := range map[string]func() (int, int){"email": byEmail, "login": byLogin} {
		if code, retry := try(); code != http.StatusTooManyRequests || retry <= 0 {
			t.Errorf("by %s after six failures: %d, Retry-After %d; want 429 with a wait", name, code, retry)
		}
	}
}

// callRetry posts body and returns the status and the Retry-After seconds.
func (s *service) callRetry(tb testing.TB, path, body string) (int, int) {
	tb.Helper()
	resp, err := http.Post(s.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return resp.StatusCode, retry
}

// letters spells i in lower-case letters, for handles that allow no digits.
func letters(i int) string {
	return fmt.Sprintf("%c%c%c", 'a'+i/676%26, 'a'+i/26%26, 'a'+i%26)
}
