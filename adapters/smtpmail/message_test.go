package smtpmail_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
)

// parsedMessage is a received message taken apart as a mail client would.
type parsedMessage struct {
	Header  mail.Header
	From    *mail.Address
	To      *mail.Address
	Subject string
	Text    string
	HTML    string
}

func parseMessage(tb testing.TB, data []byte) parsedMessage {
	tb.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("read message: %v\n%s", err, data)
	}
	var p parsedMessage
	p.Header = msg.Header
	if p.From, err = mail.ParseAddress(msg.Header.Get("From")); err != nil {
		tb.Fatalf("From %q: %v", msg.Header.Get("From"), err)
	}
	if p.To, err = mail.ParseAddress(msg.Header.Get("To")); err != nil {
		tb.Fatalf("To %q: %v", msg.Header.Get("To"), err)
	}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		tb.Fatalf("Subject %q: %v", msg.Header.Get("Subject"), err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		tb.Fatalf("Content-Type %q: want multipart/alternative (%v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("next part: %v", err)
		}
		partType, partParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			tb.Fatalf("part Content-Type %q: %v", part.Header.Get("Content-Type"), err)
		}
		if !strings.EqualFold(partParams["charset"], "utf-8") {
			tb.Errorf("part %s charset %q, want UTF-8", partType, partParams["charset"])
		}
		body := readPart(tb, part)
		switch partType {
		case "text/plain":
			p.Text = body
		case "text/html":
			p.HTML = body
		default:
			tb.Errorf("unexpected part %s", partType)
		}
	}
	if p.Text == "" || p.HTML == "" {
		tb.Fatalf("want a text/plain and a text/html part, got text=%t html=%t", p.Text != "", p.HTML != "")
	}
	return p
}

// readPart returns a part's decoded body; multipart decodes
// quoted-printable itself, base64 is decoded here.
func readPart(tb testing.TB, part *multipart.Part) string {
	tb.Helper()
	var r io.Reader = part
	if strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "base64") {
		r = base64.NewDecoder(base64.StdEncoding, part)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("read part: %v", err)
	}
	return string(b)
}

// onlyMessage returns the one message ts received.
func onlyMessage(tb testing.TB, ts *testServer) received {
	tb.Helper()
	msgs := ts.Messages()
	if len(msgs) != 1 {
		tb.Fatalf("server received %d messages, want 1", len(msgs))
	}
	return msgs[0]
}
