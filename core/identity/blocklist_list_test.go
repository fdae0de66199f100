package identity

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

// breachedSource rebuilds passwords/breached.gz from a plain list (one
// password a line, such as SecLists' 10-million-password-list-top-100000.txt)
// merged with passwords/curated.txt:
//
//	go test ./core/identity -run TestWriteBreachedList -breached-source=/path/to/list.txt
var breachedSource = flag.String("breached-source", "", "rewrite passwords/breached.gz from this list and passwords/curated.txt")

func TestWriteBreachedList(t *testing.T) {
	if *breachedSource == "" {
		t.Skip("no -breached-source given")
	}
	var lines []string
	for _, path := range []string{*breachedSource, "passwords/curated.txt"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(raw), "\n")...)
	}
	data, err := encodeList(lines)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("passwords/breached.gz", data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d bytes", len(data))
}

// encodeList writes the form decodeList reads: the lines lower-cased,
// without empty lines, duplicates and carriage returns, sorted by bytes,
// front-coded and gzip-compressed.
func encodeList(lines []string) ([]byte, error) {
	var entries []string
	for _, l := range lines {
		l = strings.ToLower(strings.TrimSuffix(l, "\r"))
		if l != "" && !strings.ContainsAny(l, "\r\n") {
			entries = append(entries, l)
		}
	}
	slices.Sort(entries)
	entries = slices.Compact(entries)

	var coded bytes.Buffer
	prev := ""
	for _, e := range entries {
		shared := 0
		for shared < min(len(e), len(prev), 255) && e[shared] == prev[shared] {
			shared++
		}
		coded.WriteByte(byte(shared))
		coded.WriteString(e[shared:])
		coded.WriteByte('\n')
		prev = e
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(coded.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func TestListRoundTrip(t *testing.T) {
	in := []string{"Password", "passwort", "pass", "", "password", "zz", "пароль", "a\r"}
	data, err := encodeList(in)
	if err != nil {
		t.Fatal(err)
	}
	set, err := decodeList(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "pass", "password", "passwort", "zz", "пароль"}
	var got []string
	for i := range set.len() {
		got = append(got, set.entry(i))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("entries %q, want %q", got, want)
	}
	for _, w := range want {
		if !set.has(w) {
			t.Errorf("has(%q) = false", w)
		}
	}
	for _, w := range []string{"", "b", "pas", "passwordx", "Password", "zzz"} {
		if set.has(w) {
			t.Errorf("has(%q) = true", w)
		}
	}
}

func TestDecodeListRefusesDamage(t *testing.T) {
	gz := func(tb testing.TB, coded string) []byte {
		tb.Helper()
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		if _, err := zw.Write([]byte(coded)); err != nil {
			tb.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
		return out.Bytes()
	}
	good := gz(t, "\x00abc\n\x02d\n")
	tests := map[string][]byte{
		"not gzip":         []byte("abc\n"),
		"truncated":        good[:len(good)-6],
		"no final newline": gz(t, "\x00abc\n\x02d"),
		"prefix too long":  gz(t, "\x00abc\n\x04d\n"),
		"out of order":     gz(t, "\x00abd\n\x02c\n"),
		"duplicate":        gz(t, "\x00abc\n\x03\n"),
	}
	if _, err := decodeList(good); err != nil {
		t.Fatalf("good list: %v", err)
	}
	for name, data := range tests {
		if _, err := decodeList(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestBreachedList checks the list compiled in: it decodes, is large,
// lower-cased, and holds every curated entry.
func TestBreachedList(t *testing.T) {
	set, err := breachedSet()
	if err != nil {
		t.Fatal(err)
	}
	if set.len() < 96_000 {
		t.Fatalf("list has %d entries, want the ~97,000 of the SecLists top 100,000 and curated.txt", set.len())
	}
	for i := range set.len() {
		if e := set.entry(i); strings.ToLower(e) != e {
			t.Fatalf("entry %d %q is not lower-cased", i, e)
		}
	}
	raw, err := os.ReadFile("passwords/curated.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Fields(string(raw)) {
		if !set.has(line) {
			t.Errorf("curated %q missing from breached.gz", line)
		}
	}
}
