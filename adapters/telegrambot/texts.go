package telegrambot

import (
	"fmt"
	"html"
	"time"

	"gatehouse/core/identity"
)

// texts is everything the bot says, in one language. Messages are sent
// with parse mode HTML, so every value put into them is escaped.
type texts struct {
	welcome, notLinked, help                       string
	linked, alreadyLinked, telegramTaken, unlinked string
	linkInvalid, linkExpired, blocked, notOwn      string
	askPhone, shareButton, phoneVerified           string
	phoneTaken, phoneInvalid, noSessions           string
	sessionsTitle, endButton, sessionEnded         string
	deviceGone, failed                             string
	meFormat, codeFormat, unknownDevice            string
	verified, unverified, none                     string
}

var english = texts{
	welcome:       "Welcome back. Your Telegram account is linked to your account here.\n/me shows it, /sessions your devices, /unlink removes the link.",
	notLinked:     "This Telegram account is not linked to an account yet. Open the link from your account settings (Link Telegram) to link it.",
	help:          "/start &lt;token&gt; — link this Telegram account (open the link from your account settings)\n/me — your account in brief\n/sessions — your devices, with a button to sign out of each\n/unlink — remove the link\n/help — this list",
	linked:        "Done: this Telegram account is now linked to your account. Sign-in codes for your phone will come here.",
	alreadyLinked: "That account is already linked to another Telegram account. Unlink it there first (/unlink), then try again. Nothing was changed.",
	telegramTaken: "This Telegram account is already linked to another account. Send /unlink here first if you want to link it elsewhere. Nothing was changed.",
	unlinked:      "The link is removed: this Telegram account no longer signs in to your account or gets its codes.",
	linkInvalid:   "This link is not valid or was used already. Ask for a new one in your account settings.",
	linkExpired:   "This link has expired. Ask for a new one in your account settings.",
	blocked:       "This account is blocked.",
	notOwn:        "Only your own contact can verify your phone: press the button below instead of forwarding a contact.",
	askPhone:      "To get sign-in codes here and verify your phone, share your phone number with the button below.",
	shareButton:   "Share my phone number",
	phoneVerified: "Thank you: %s is now your verified phone number.",
	phoneTaken:    "This phone number belongs to another account, so it cannot be added to yours. Nothing was changed.",
	phoneInvalid:  "This phone number cannot be used.",
	noSessions:    "You are not signed in on any device.",
	sessionsTitle: "Your devices (newest first). Press a button to sign out there:",
	endButton:     "Sign out: %s",
	sessionEnded:  "Signed out on %s.",
	deviceGone:    "That device is no longer signed in.",
	failed:        "Something went wrong on our side; please try again later.",
	meFormat:      "<b>%s</b>\nLogin: %s\nEmail: %s\nPhone: %s\nTelegram: linked",
	codeFormat:    "Your code: <code>%s</code>\nIt is valid for %d minutes. Do not give it to anyone, not even to us.",
	unknownDevice: "unknown device",
	verified:      "verified",
	unverified:    "not verified",
	none:          "—",
}

var russian = texts{
	welcome:       "С возвращением. Ваш Telegram привязан к учётной записи.\n/me — учётная запись, /sessions — устройства, /unlink — отвязать.",
	notLinked:     "Этот Telegram ещё не привязан к учётной записи. Откройте ссылку из настроек учётной записи («Привязать Telegram»).",
	help:          "/start &lt;токен&gt; — привязать этот Telegram (откройте ссылку из настроек учётной записи)\n/me — кратко об учётной записи\n/sessions — ваши устройства, с кнопкой выхода на каждом\n/unlink — отвязать\n/help — этот список",
	linked:        "Готово: этот Telegram привязан к вашей учётной записи. Коды входа для вашего телефона будут приходить сюда.",
	alreadyLinked: "Эта учётная запись уже привязана к другому Telegram. Сначала отвяжите её там (/unlink) и попробуйте снова. Ничего не изменено.",
	telegramTaken: "Этот Telegram уже привязан к другой учётной записи. Чтобы привязать его к другой, сначала отправьте здесь /unlink. Ничего не изменено.",
	unlinked:      "Привязка удалена: этот Telegram больше не входит в вашу учётную запись и не получает её коды.",
	linkInvalid:   "Ссылка недействительна или уже использована. Получите новую в настройках учётной записи.",
	linkExpired:   "Срок действия ссылки истёк. Получите новую в настройках учётной записи.",
	blocked:       "Учётная запись заблокирована.",
	notOwn:        "Подтвердить телефон можно только своим контактом: нажмите кнопку ниже, а не пересылайте контакт.",
	askPhone:      "Чтобы получать коды входа здесь и подтвердить телефон, поделитесь номером кнопкой ниже.",
	shareButton:   "Поделиться номером",
	phoneVerified: "Спасибо: %s теперь ваш подтверждённый номер.",
	phoneTaken:    "Этот номер принадлежит другой учётной записи и не может быть добавлен к вашей. Ничего не изменено.",
	phoneInvalid:  "Этот номер нельзя использовать.",
	noSessions:    "Вы не вошли ни на одном устройстве.",
	sessionsTitle: "Ваши устройства (сначала новые). Нажмите кнопку, чтобы выйти на устройстве:",
	endButton:     "Выйти: %s",
	sessionEnded:  "Выполнен выход на устройстве %s.",
	deviceGone:    "На этом устройстве вход уже не выполнен.",
	failed:        "У нас что-то пошло не так; попробуйте позже.",
	meFormat:      "<b>%s</b>\nЛогин: %s\nEmail: %s\nТелефон: %s\nTelegram: привязан",
	codeFormat:    "Ваш код: <code>%s</code>\nДействует %d мин. Никому его не сообщайте, даже нам.",
	unknownDevice: "неизвестное устройство",
	verified:      "подтверждён",
	unverified:    "не подтверждён",
	none:          "—",
}

// textsFor returns the texts of a locale; English for any but Russian.
func textsFor(l identity.Locale) texts {
	if l == identity.LocaleRU {
		return russian
	}
	return english
}

// code is the message that carries a one-time code.
func (t texts) code(code string, ttl time.Duration, _ identity.Purpose) string {
	minutes := max(int(ttl/time.Minute), 1)
	return fmt.Sprintf(t.codeFormat, html.EscapeString(code), minutes)
}

// me is the /me answer: the account in brief.
func (t texts) me(u identity.User) string {
	or := func(s string) string {
		if s == "" {
			return t.none
		}
		return html.EscapeString(s)
	}
	phone := or(u.Phone)
	if u.Phone != "" {
		state := t.unverified
		if u.PhoneVerified {
			state = t.verified
		}
		phone += " (" + state + ")"
	}
	return fmt.Sprintf(t.meFormat, or(u.DisplayName()), or(u.Login), or(u.Email), phone)
}
