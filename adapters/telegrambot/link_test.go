package telegrambot_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStartLinksTheAccount(t *testing.T) {
	f := newFixture(t)
	ann := f.account(t, "ann")
	bob := f.account(t, "bob")
	token := f.linkToken(t, ann.ID)
	if got := f.bot.LinkURL(token); got != "https://t.me/gatehouse_bot?start="+token {
		t.Fatalf("LinkURL = %q", got)
	}

	f.apply(t, message(1, 100, "en", "/start "+token))
	if u := f.user(t, ann.ID); u.TelegramID != 100 {
		t.Fatalf("after /start: TelegramID %d", u.TelegramID)
	}
	// Linked, then asked for the phone with a request_contact keyboard.
	sent := f.api.sent(100)
	if len(sent) != 2 || !strings.Contains(sent[0].form["text"], "now linked") {
		t.Fatalf("replies: %+v", sent)
	}
	var kb struct {
		Keyboard [][]struct {
			RequestContact bool `json:"request_contact"`
		} `json:"keyboard"`
	}
	if err := json.Unmarshal([]byte(sent[1].form["reply_markup"]), &kb); err != nil || !kb.Keyboard[0][0].RequestContact {
		t.Fatalf("keyboard %q: %v", sent[1].form["reply_markup"], err)
	}

	tests := []struct {
		name   string
		update string
		chat   int64
		want   string
	}{
		{"the token again", message(2, 200, "en", "/start "+token), 200, "not valid or was used"},
		{"Bob's token from Ann's Telegram", message(3, 100, "ru", "/start "+f.linkToken(t, bob.ID)), 100, "уже привязан к другой учётной записи"},
		{"a made-up token", message(4, 300, "en", "/start nonsense"), 300, "not valid"},
		{"/me", message(5, 100, "en", "/me"), 100, "<b>ann</b>"},
		{"/me unlinked", message(6, 300, "en", "/me"), 300, "not linked"},
		{"/help in Russian", message(7, 300, "ru-RU", "/help"), 300, "/unlink — отвязать"},
		{"any text", message(8, 300, "en", "hello"), 300, "/sessions"},
	}
	for _, tt := range tests {
		f.apply(t, tt.update)
		if got := f.lastText(t, tt.chat); !strings.Contains(got, tt.want) {
			t.Errorf("%s: replied %q, want %q in it", tt.name, got, tt.want)
		}
	}
	if u := f.user(t, bob.ID); u.TelegramID != 0 {
		t.Fatalf("Bob got linked to %d", u.TelegramID)
	}

	f.apply(t, message(9, 100, "en", "/unlink"))
	if u := f.user(t, ann.ID); u.TelegramID != 0 || !strings.Contains(f.lastText(t, 100), "link is removed") {
		t.Fatalf("after /unlink: %d, %q", u.TelegramID, f.lastText(t, 100))
	}
}

func TestContactVerifiesOnlyYourOwnPhone(t *testing.T) {
	f := newFixture(t)
	ann := f.account(t, "ann")
	f.apply(t, message(1, 100, "en", "/start "+f.linkToken(t, ann.ID)))
	other := f.account(t, "other")
	other.Phone = "+79990000002"
	if err := f.users.Update(t.Context(), other); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		update string
		want   string
	}{
		{"a forwarded contact", contact(2, 100, 555, "79990000001"), "Only your own contact"},
		{"a contact without a Telegram user", contact(3, 100, 0, "79990000001"), "Only your own contact"},
		{"another account's phone", contact(4, 100, 100, "+79990000002"), "belongs to another account"},
	}
	for _, tt := range tests {
		f.apply(t, tt.update)
		if got := f.lastText(t, 100); !strings.Contains(got, tt.want) {
			t.Errorf("%s: replied %q", tt.name, got)
		}
		if u := f.user(t, ann.ID); u.Phone != "" || u.PhoneVerified {
			t.Fatalf("%s changed the phone: %q %v", tt.name, u.Phone, u.PhoneVerified)
		}
	}

	f.apply(t, contact(5, 100, 100, "79990000001"))
	if u := f.user(t, ann.ID); u.Phone != "+79990000001" || !u.PhoneVerified {
		t.Fatalf("own contact: %q %v (%q)", u.Phone, u.PhoneVerified, f.lastText(t, 100))
	}
	if !strings.Contains(f.lastText(t, 100), "+79990000001 is now your verified phone") {
		t.Fatalf("reply %q", f.lastText(t, 100))
	}
}

func TestDuplicateUpdateIsAppliedOnce(t *testing.T) {
	f := newFixture(t)
	ann := f.account(t, "ann")
	update := message(1, 100, "en", "/start "+f.linkToken(t, ann.ID))
	f.apply(t, update)
	before := len(f.api.sent(100))
	f.apply(t, update)
	if after := len(f.api.sent(100)); after != before {
		t.Fatalf("a redelivered update was answered again: %d messages, then %d", before, after)
	}
}
