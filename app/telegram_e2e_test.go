package app

import (
	"bufio"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestTelegramAcceptance walks the acceptance through a whole
// gatehouse pointed at a fake Bot API on loopback: a user gets a link,
// /start <token> links the account (a redelivered update is applied once),
// a forwarded contact is refused and the user's own sets the verified
// phone, a phone sign-in code arrives in the chat, and a webhook call
// without the secret gets 403.
func TestTelegramAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the service twice")
	}
	api := newBotAPI(t)
	svc := startService(t, "GATEHOUSE_DEV=true", "GATEHOUSE_DATA_DIR="+t.TempDir(),
		"GATEHOUSE_TELEGRAM_TOKEN="+tgToken, "GATEHOUSE_TELEGRAM_API_ENDPOINT="+api.endpoint("a"),
		"GATEHOUSE_TELEGRAM_LEASE_TTL=3s", "GATEHOUSE_TELEGRAM_POLL_TIMEOUT=1s")

	if code := svc.call(t, "POST", "/auth/register", `{"username":"ada","email":"ada@example.com","password":"Xq7vLm2pZ"}`, nil, nil); code != 201 && code != 200 {
		t.Fatalf("register: %d", code)
	}
	var p pair
	if code := svc.call(t, "POST", "/auth/login", `{"email":"ada@example.com","password":"Xq7vLm2pZ"}`, nil, &p); code != 200 {
		t.Fatalf("login: %d", code)
	}
	var link struct{ URL string }
	if code := svc.call(t, "POST", "/telegram/link", "", bearer(p.AccessToken), &link); code != 201 {
		t.Fatalf("link: %d", code)
	}
	u, err := url.Parse(link.URL)
	if err != nil || u.Host != "t.me" || u.Path != "/gate_bot" {
		t.Fatalf("link %q", link.URL)
	}
	start := tgMessage(1, 777, "/start "+u.Query().Get("start"))
	api.push(start)
	api.push(start) // Telegram delivers it again
	me := func() map[string]any {
		var m map[string]any
		svc.call(t, "GET", "/users/me", "", bearer(p.AccessToken), &m)
		return m
	}
	waitFor(t, "the account is linked", func() bool { return me()["telegram_id"] == "777" })

	api.push(tgContact(2, 777, 999, "79991234567"))
	waitFor(t, "the forwarded contact is refused", func() bool {
		texts := api.textsTo(777)
		return len(texts) > 0 && strings.Contains(texts[len(texts)-1], "Only your own contact")
	})
	api.push(tgContact(3, 777, 777, "79991234567"))
	waitFor(t, "the own contact verifies the phone", func() bool {
		texts := api.textsTo(777)
		return len(texts) > 0 && strings.Contains(texts[len(texts)-1], "+79991234567 is now your verified phone")
	})

	if code := svc.call(t, "POST", "/api/auth/phone/send/otp", `{"recipient":"+7 999 123-45-67"}`, map[string]string{"captcha-token": "dev"}, nil); code != 200 {
		t.Fatalf("send otp: %d", code)
	}
	waitFor(t, "the code arrives in the chat", func() bool {
		for _, text := range api.textsTo(777) {
			if strings.Contains(text, "Your code: <code>") {
				return true
			}
		}
		return false
	})
	linked := 0
	for _, text := range api.textsTo(777) {
		if strings.Contains(text, "now linked") {
			linked++
		}
	}
	if linked != 1 {
		t.Fatalf("the /start update was applied %d times", linked)
	}

	hook := startService(t, "GATEHOUSE_DEV=true", "GATEHOUSE_DATA_DIR="+t.TempDir(),
		"GATEHOUSE_TELEGRAM_TOKEN="+tgToken, "GATEHOUSE_TELEGRAM_API_ENDPOINT="+api.endpoint("w"),
		"GATEHOUSE_TELEGRAM_MODE=webhook", "GATEHOUSE_TELEGRAM_WEBHOOK_SECRET=hook-secret")
	update := tgMessage(10, 888, "/help")
	if code := hook.call(t, "POST", "/hooks/telegram", update, map[string]string{"Content-Type": "application/json"}, nil); code != 403 {
		t.Fatalf("webhook without the secret: %d", code)
	}
	if code := hook.call(t, "POST", "/hooks/telegram", update, map[string]string{"X-Telegram-Bot-Api-Secret-Token": "wrong"}, nil); code != 403 {
		t.Fatalf("webhook with a wrong secret: %d", code)
	}
	if code := hook.call(t, "POST", "/hooks/telegram", update, map[string]string{"X-Telegram-Bot-Api-Secret-Token": "hook-secret"}, nil); code != 200 {
		t.Fatalf("webhook with the secret: %d", code)
	}
	if len(api.textsTo(888)) != 1 {
		t.Fatalf("the webhook's update was answered %d times", len(api.textsTo(888)))
	}
}

// TestTelegramPollChild is one gatehouse replica for
// TestTelegramOnePollerAcrossProcesses, configured by the environment.
func TestTelegramPollChild(t *testing.T) {
	if os.Getenv("TG_POLL_CHILD") == "" {
		t.Skip("run by TestTelegramOnePollerAcrossProcesses")
	}
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GATEHOUSE_") {
			env = append(env, kv)
		}
	}
	svc := startService(t, env...)
	os.Stdout.WriteString("ADDR " + svc.base + "\n")
	select {}
}

// TestTelegramOnePollerAcrossProcesses: two gatehouse processes sharing a
// real redis-server: exactly one calls getUpdates; when it is killed
// (SIGKILL: no release), the other takes over once the lease lapses.
func TestTelegramOnePollerAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts redis-server and two child processes")
	}
	redis := startRedis(t)
	api := newBotAPI(t)
	dir := t.TempDir()
	children := map[string]*exec.Cmd{}
	for _, replica := range []string{"a", "b"} {
		child := exec.Command(os.Args[0], "-test.run=^TestTelegramPollChild$", "-test.v")
		child.Env = append(os.Environ(), "TG_POLL_CHILD=1", "GATEHOUSE_DATA_DIR="+dir, "GATEHOUSE_REDIS_URL="+redis.URL(),
			"GATEHOUSE_TELEGRAM_TOKEN="+tgToken, "GATEHOUSE_TELEGRAM_API_ENDPOINT="+api.endpoint(replica),
			"GATEHOUSE_TELEGRAM_LEASE_TTL=3s", "GATEHOUSE_TELEGRAM_POLL_TIMEOUT=1s")
		out, err := child.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
		childAddr(t, bufio.NewScanner(out))
		children[replica] = child
	}

	waitFor(t, "ten polls", func() bool {
		n := 0
		for _, c := range api.pollsBy() {
			n += c
		}
		return n >= 10
	})
	polls := api.pollsBy()
	if len(polls) != 1 {
		t.Fatalf("getUpdates by replica: %v; want exactly one replica polling", polls)
	}
	var holder, standby string
	for r := range polls {
		holder = r
	}
	standby = map[string]string{"a": "b", "b": "a"}[holder]

	killed := time.Now()
	if err := children[holder].Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = children[holder].Wait()
	waitFor(t, "the other replica takes over", func() bool { return api.pollsBy()[standby] > 0 })
	t.Logf("replica %s took over %v after %s was killed (lease 3s)", standby, time.Since(killed).Round(100*time.Millisecond), holder)
	before := api.pollsBy()[holder]
	waitFor(t, "the new holder polls on", func() bool { return api.pollsBy()[standby] >= 5 })
	if after := api.pollsBy()[holder]; after != before {
		t.Fatalf("the killed replica polled after its death: %d, then %d", before, after)
	}
}
