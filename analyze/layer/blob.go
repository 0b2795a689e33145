package layer

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Blob is a layer blob as a source hands it over: random access when the
// bytes sit in a file (a directory or an archive), a stream otherwise.
type Blob struct {
	RA   io.ReaderAt // nil for streams
	Size int64       // size of RA, or -1
	R    io.Reader   // the stream when RA is nil
	// SourceVerified is set when the source checks the digest itself
	// (registry downloads do).
	SourceVerified bool
}

// BlobOptions say what to check while reading a blob.
type BlobOptions struct {
	Options
	// Digest is the blob's expected digest ("sha256:..."), checked whenever
	// every byte of the blob is read anyway.
	Digest string
	// DiffID is the expected digest of the uncompressed tar.
	DiffID string
	// Verify forces both checks, reading every byte even of uncompressed
	// blobs that would otherwise be skimmed by seeking.
	Verify bool
	// Progress is called with the number of blob bytes consumed so far.
	Progress func(n int64)
}

// BlobResult is a read layer with what was learned about its blob.
type BlobResult struct {
	*Result
	Compression Compression
	// BlobBytes is the number of blob bytes consumed.
	BlobBytes int64
	// Verified is set when Digest (or DiffID) was checked.
	Verified bool
	// Skimmed is set when content was skipped by seeking.
	Skimmed bool
	// Digest is the blob's sha256, computed when every byte was read.
	Digest string
}

// ReadBlob decompresses and reads a layer blob, checking digests where the
// bytes pass by anyway (or everywhere with Verify).
func ReadBlob(b Blob, o BlobOptions) (*BlobResult, error) {
	if b.RA != nil {
		var head [4]byte
		n, _ := b.RA.ReadAt(head[:], 0)
		if Sniff(head[:n]) == Uncompressed && !o.Verify {
			res, err := Skim(b.RA, b.Size, o.Options)
			out := &BlobResult{Result: res, Skimmed: true}
			if res != nil {
				out.BlobBytes = res.TarBytes
			}
			if o.Progress != nil {
				o.Progress(out.BlobBytes)
			}
			return out, err
		}
		b.R = io.NewSectionReader(b.RA, 0, b.Size)
	}
	return readStream(b, o)
}

// maxTrailing bounds what is decompressed after a layer's tar end.
const maxTrailing = 1 << 20

func readStream(b Blob, o BlobOptions) (*BlobResult, error) {
	counter := &countingReader{r: b.R, progress: o.Progress}
	var blobHash hash.Hash
	var src io.Reader = counter
	if !b.SourceVerified || o.Verify {
		blobHash = sha256.New()
		src = io.TeeReader(counter, blobHash)
	}
	br := bufio.NewReaderSize(src, 64<<10)
	tarStream, comp, closeFn, err := Decompress(br)
	if err != nil {
		return &BlobResult{Result: &Result{}}, err
	}
	defer closeFn()
	var diffHash hash.Hash
	if o.Verify && o.DiffID != "" && comp != Uncompressed {
		diffHash = sha256.New()
		tarStream = io.TeeReader(tarStream, diffHash)
	}
	opts := o.Options
	opts.HashContent = true
	res, err := Read(tarStream, opts)
	out := &BlobResult{Result: res, Compression: comp}
	if err != nil {
		out.BlobBytes = counter.n
		return out, err
	}
	// Read on past the tar's end: the decompressor checks its checksum
	// only at the end of the stream, and the digests cover every byte. A
	// hostile stream may inflate forever after the tar, so this is bounded.
	if comp != Uncompressed || diffHash != nil {
		n, err := io.CopyN(io.Discard, tarStream, maxTrailing+1)
		if err != nil && !errors.Is(err, io.EOF) {
			return out, fmt.Errorf("after the tar end: %w", err)
		}
		if n > maxTrailing {
			if diffHash != nil {
				return out, fmt.Errorf("more than %d bytes after the tar end: cannot verify the diff ID", maxTrailing)
			}
			res.Warnings = append(res.Warnings, "data after the tar end ignored")
		}
	}
	if blobHash != nil {
		if _, err := io.Copy(io.Discard, br); err != nil {
			return out, err
		}
	}
	out.BlobBytes = counter.n
	if blobHash != nil {
		out.Digest = "sha256:" + hex.EncodeToString(blobHash.Sum(nil))
		want := o.Digest
		if want == "" && comp == Uncompressed {
			want = o.DiffID // an uncompressed blob's digest is its diff ID
		}
		if err := out.check(want); err != nil {
			return out, err
		}
	}
	if diffHash != nil {
		if got := "sha256:" + hex.EncodeToString(diffHash.Sum(nil)); isSHA256(o.DiffID) && got != o.DiffID {
			return out, fmt.Errorf("diff ID mismatch: expected %s, content has %s", o.DiffID, got)
		}
		out.Verified = true
	}
	out.Verified = out.Verified || b.SourceVerified
	return out, nil
}

// check compares the computed blob digest with want (when it is a sha256
// digest: nothing else is computed here).
func (r *BlobResult) check(want string) error {
	if !isSHA256(want) || r.Digest == "" {
		return nil
	}
	if r.Digest != want {
		return fmt.Errorf("digest mismatch: expected %s, blob has %s", want, r.Digest)
	}
	r.Verified = true
	return nil
}

// Check compares the computed blob digest with a digest learned after the
// blob was read (streamed archives list digests after the blobs).
func (r *BlobResult) Check(want string) error { return r.check(want) }

func isSHA256(d string) bool { return len(d) == 71 && d[:7] == "sha256:" }

type countingReader struct {
	r        io.Reader
	n        int64
	next     int64
	progress func(int64)
}

const progressStep = 4 << 20

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && (c.n >= c.next || err == io.EOF) {
		c.progress(c.n)
		c.next = c.n + progressStep
	}
	return n, err
}
