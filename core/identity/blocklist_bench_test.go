package identity

import "testing"

// BenchmarkDecodeList is the cost the first password check of a process
// pays once: decompressing and indexing the embedded list.
func BenchmarkDecodeList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeList(breachedList); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsCommon is the lookup every later check pays: all the forms of
// a password searched in the list.
func BenchmarkIsCommon(b *testing.B) {
	if _, err := breachedSet(); err != nil {
		b.Fatal(err)
	}
	for _, pw := range []string{"Summer2024!", "P@ssword1", "correct horse battery", "Xq7vLm2pZ"} {
		b.Run(pw, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := isCommon(pw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPasswordPolicyCheck is the whole policy, handles included.
func BenchmarkPasswordPolicyCheck(b *testing.B) {
	p := DefaultPasswordPolicy()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Check("correct horse battery", "danila_g", "danila@example.com")
	}
}
