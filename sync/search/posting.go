package search

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// A posting list holds the documents of one block (65,536 document
// numbers) that contain one gram. It is stored as a sorted array of the
// low 16 bits of their numbers while that is smaller than a bitmap, and as
// an 8 KiB bitmap beyond: a very common gram costs at most 8 KiB a block,
// and a query never reads more than that per gram and block.
const (
	blockBits = 16
	blockSize = 1 << blockBits
	// arrayMax is the longest array; from there on the bitmap is smaller.
	arrayMax = blockSize / 16

	fmtArray  = 'a'
	fmtBitmap = 'b'
)

// bitmap is one block's set of documents.
type bitmap [blockSize / 64]uint64

func (b *bitmap) set(low uint16)      { b[low>>6] |= 1 << (low & 63) }
func (b *bitmap) clear(low uint16)    { b[low>>6] &^= 1 << (low & 63) }
func (b *bitmap) has(low uint16) bool { return b[low>>6]&(1<<(low&63)) != 0 }
func (b *bitmap) reset()              { *b = bitmap{} }

func (b *bitmap) and(o *bitmap) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b *bitmap) andNot(o *bitmap) {
	for i := range b {
		b[i] &^= o[i]
	}
}

func (b *bitmap) or(o *bitmap) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b *bitmap) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b *bitmap) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// each calls fn with the members in ascending order until it returns false.
func (b *bitmap) each(fn func(low uint16) bool) bool {
	for i, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			if !fn(uint16(i<<6 | t)) {
				return false
			}
			w &= w - 1
		}
	}
	return true
}

// decodePosting sets b to the stored list p.
func decodePosting(p []byte, b *bitmap) error {
	b.reset()
	if len(p) == 0 {
		return fmt.Errorf("search: empty posting list")
	}
	switch body := p[1:]; p[0] {
	case fmtArray:
		if len(body)%2 != 0 {
			return fmt.Errorf("search: posting array of %d bytes", len(body))
		}
		for i := 0; i < len(body); i += 2 {
			b.set(binary.LittleEndian.Uint16(body[i:]))
		}
	case fmtBitmap:
		if len(body) != len(b)*8 {
			return fmt.Errorf("search: posting bitmap of %d bytes", len(body))
		}
		for i := range b {
			b[i] = binary.LittleEndian.Uint64(body[i*8:])
		}
	default:
		return fmt.Errorf("search: posting list of unknown format %q", p[0])
	}
	return nil
}

// encodeBitmap stores b in the smaller of the two forms; nil when empty.
func encodeBitmap(b *bitmap) []byte {
	n := b.count()
	switch {
	case n == 0:
		return nil
	case n < arrayMax:
		out := make([]byte, 1, 1+2*n)
		out[0] = fmtArray
		b.each(func(low uint16) bool {
			out = binary.LittleEndian.AppendUint16(out, low)
			return true
		})
		return out
	}
	out := make([]byte, 1, 1+len(b)*8)
	out[0] = fmtBitmap
	for _, w := range b {
		out = binary.LittleEndian.AppendUint64(out, w)
	}
	return out
}

// encodeLows stores an ascending list without duplicates, as the bulk
// build collects it.
func encodeLows(lows []uint16, scratch *bitmap) []byte {
	if len(lows) < arrayMax {
		out := make([]byte, 1, 1+2*len(lows))
		out[0] = fmtArray
		for _, l := range lows {
			out = binary.LittleEndian.AppendUint16(out, l)
		}
		return out
	}
	scratch.reset()
	for _, l := range lows {
		scratch.set(l)
	}
	return encodeBitmap(scratch)
}
