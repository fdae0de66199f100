package smtpmail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"

	"gatehouse/core/identity"
)

// templateFS holds one layout per MIME part and, per locale, the phrases
// every message shares (common.tmpl) and one file per purpose defining its
// subject, intro and action. Both engines parse the same phrase files, so a
// translation is written once; html/template escapes it for its context.
//
//go:embed templates
var templateFS embed.FS

// defaultLocale is used for any locale that has no templates.
const defaultLocale = identity.LocaleEN

// emailPurposes are the purposes delivered by email; phone_login is not.
var emailPurposes = []identity.Purpose{
	identity.PurposeEmailConfirm,
	identity.PurposePasswordReset,
	identity.PurposeEmailLogin,
	identity.PurposeEmailBind,
}

// errNoTemplate means the purpose is not delivered by email.
var errNoTemplate = errors.New("purpose is not delivered by email")

// content is the data the templates see.
type content struct {
	Locale  string
	Name    string
	Product string
	Code    string
	Link    string
}

// rendered is one message ready to be sent.
type rendered struct {
	Locale  string // the locale used, after fallback
	Subject string
	Text    string
	HTML    string
}

// templateSet is the parsed templates of one locale and purpose.
type templateSet struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// renderer renders messages from the embedded templates. It is read-only
// after newRenderer, so one renderer serves concurrent calls.
type renderer struct {
	sets map[string]templateSet // by locale + "/" + purpose
}

func newRenderer() (*renderer, error) {
	r := &renderer{sets: make(map[string]templateSet)}
	locales, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, fmt.Errorf("smtpmail: templates: %w", err)
	}
	for _, l := range locales {
		if !l.IsDir() {
			continue
		}
		for _, p := range emailPurposes {
			set, err := parseSet(l.Name(), p)
			if err != nil {
				return nil, err
			}
			r.sets[l.Name()+"/"+string(p)] = set
		}
	}
	if _, ok := r.sets[string(defaultLocale)+"/"+string(identity.PurposeEmailConfirm)]; !ok {
		return nil, errors.New("smtpmail: templates: default locale missing")
	}
	return r, nil
}

func parseSet(locale string, p identity.Purpose) (templateSet, error) {
	common := "templates/" + locale + "/common.tmpl"
	purpose := "templates/" + locale + "/" + string(p) + ".tmpl"
	text, err := texttemplate.New("text").Option("missingkey=error").
		ParseFS(templateFS, "templates/layout.txt", common, purpose)
	if err != nil {
		return templateSet{}, fmt.Errorf("smtpmail: templates %s/%s: %w", locale, p, err)
	}
	html, err := htmltemplate.New("html").Option("missingkey=error").
		ParseFS(templateFS, "templates/layout.html", common, purpose)
	if err != nil {
		return templateSet{}, fmt.Errorf("smtpmail: templates %s/%s: %w", locale, p, err)
	}
	return templateSet{text: text, html: html}, nil
}

// render renders the message for purpose p in locale l, falling back to
// English for a locale without templates. errNoTemplate when p is not
// delivered by email.
func (r *renderer) render(l identity.Locale, p identity.Purpose, c content) (rendered, error) {
	set, ok := r.sets[string(l)+"/"+string(p)]
	if !ok {
		l = defaultLocale
		set, ok = r.sets[string(l)+"/"+string(p)]
	}
	if !ok {
		return rendered{}, fmt.Errorf("smtpmail: %s: %w", p, errNoTemplate)
	}
	c.Locale = string(l)
	var subject, text, html bytes.Buffer
	if err := set.text.ExecuteTemplate(&subject, "subject", c); err != nil {
		return rendered{}, fmt.Errorf("smtpmail: render subject: %w", err)
	}
	if err := set.text.ExecuteTemplate(&text, "layout", c); err != nil {
		return rendered{}, fmt.Errorf("smtpmail: render text: %w", err)
	}
	if err := set.html.ExecuteTemplate(&html, "layout", c); err != nil {
		return rendered{}, fmt.Errorf("smtpmail: render html: %w", err)
	}
	// A header is one line: a name with a line break must not add headers.
	oneLine := strings.Join(strings.Fields(subject.String()), " ")
	return rendered{Locale: c.Locale, Subject: oneLine, Text: text.String(), HTML: html.String()}, nil
}
