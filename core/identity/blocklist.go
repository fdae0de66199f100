package identity

import (
	"bytes"
	"compress/gzip"
	_ "embed" // for the breached-password list
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
)

// breachedList is the password blocklist, about 97,000 lower-cased
// entries: the 100,000 most common passwords of Mark Burnett's ten-million
// breached-password data set, as published in SecLists
// (Passwords/Common-Credentials/10-million-password-list-top-100000.txt,
// MIT licence, see passwords/LICENSE-SecLists.txt), merged with
// passwords/curated.txt (yearly most-used lists, Russian passwords and the
// patterns breach lists are made of: years, repeats, keyboard walks).
//
// It is stored in the form encodeList writes: entries sorted by bytes and
// front-coded (one byte counting the leading bytes shared with the entry
// before, then the rest of the entry and a newline), gzip-compressed. That
// is 145 KB in the binary instead of 760 KB of plain text.
//
//go:embed passwords/breached.gz
var breachedList []byte

// breachedSet decodes breachedList on first use and keeps the result.
//
// core is pure (no I/O, no state mutated at init), and this keeps it so:
// the value is a pure function of bytes compiled into the binary (the gzip
// reader reads memory, not a file), built at most once (sync.OnceValues
// makes that safe for concurrent first callers) and read-only afterwards,
// so every caller gets the same answer whenever it asks, as from a
// constant. Building it lazily rather than at init keeps the few
// milliseconds of decoding and ~1.2 MB of memory out of start-up and out
// of processes (commands, tests) that never check a password.
var breachedSet = sync.OnceValues(func() (passwordSet, error) {
	return decodeList(breachedList)
})

// passwordSet is a sorted list of distinct strings searched by bisection:
// entry i is text[ends[i-1]:ends[i]]. One string and one offset slice
// cost about 1.1 MB for the whole list, against some 6 MB for a map.
type passwordSet struct {
	text string
	ends []uint32
}

func (s passwordSet) entry(i int) string {
	var start uint32
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]]
}

// has reports whether p is an entry.
func (s passwordSet) has(p string) bool {
	lo, hi := 0, len(s.ends)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.entry(mid) < p {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(s.ends) && s.entry(lo) == p
}

// decodeList reverses encodeList. It checks what it reads (prefix lengths
// within the previous entry, strictly ascending entries) so that a damaged
// list is an error rather than a set that quietly misses passwords.
func decodeList(compressed []byte) (passwordSet, error) {
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return passwordSet{}, fmt.Errorf("identity: password list: %w", err)
	}
	var buf bytes.Buffer
	// gzip ends with the uncompressed size: one allocation instead of a
	// dozen while the buffer grows. It is only a hint, bounded in case the
	// bytes are damaged.
	buf.Grow(int(min(binary.LittleEndian.Uint32(compressed[len(compressed)-4:]), 16<<20)))
	if _, err := buf.ReadFrom(zr); err != nil {
		return passwordSet{}, fmt.Errorf("identity: password list: %w", err)
	}
	coded := buf.Bytes()
	var text strings.Builder
	text.Grow(2 * len(coded))
	ends := make([]uint32, 0, bytes.Count(coded, []byte{'\n'}))
	var prev, entry []byte
	for len(coded) > 0 {
		shared := int(coded[0])
		rest, tail, ok := bytes.Cut(coded[1:], []byte{'\n'})
		if !ok || shared > len(prev) {
			return passwordSet{}, fmt.Errorf("identity: password list: bad record %d", len(ends))
		}
		entry = append(append(entry[:0], prev[:shared]...), rest...)
		if len(ends) > 0 && bytes.Compare(prev, entry) >= 0 {
			return passwordSet{}, fmt.Errorf("identity: password list: record %d out of order", len(ends))
		}
		text.Write(entry)
		ends = append(ends, uint32(text.Len()))
		prev, entry, coded = entry, prev, tail
	}
	return passwordSet{text: text.String(), ends: ends}, nil
}
