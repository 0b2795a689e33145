// Package layer reads one image layer (a tar stream, already decompressed)
// into a flat list of normalized entries: whiteouts and opaque markers are
// recognised, names are cleaned and checked, and nothing is ever written to
// disk. The reader is the first line of defence against hostile layers, so
// every problem ends in a returned error or a recorded warning.
package layer

import "slices"

// Type is what an entry is in the layer's file system diff.
type Type uint8

// Entry types. Whiteout and Opaque come from the OCI whiteout files
// (.wh.NAME and .wh..wh..opq) and carry the path they act on.
const (
	File Type = iota
	Dir
	Symlink
	Hardlink
	CharDevice
	BlockDevice
	FIFO
	Whiteout // deletes Path (and everything under it) from lower layers
	Opaque   // hides every lower-layer child of the directory Path
)

var typeNames = [...]string{"file", "dir", "symlink", "hardlink", "char", "block", "fifo", "whiteout", "opaque"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// Entry is one tar header of a layer after normalization.
type Entry struct {
	// Path is the cleaned path relative to the root, without a leading
	// slash ("etc/passwd"). For whiteouts it is the deleted path, for opaque
	// markers the directory.
	Path string
	Type Type
	// Size is the header's size: the bytes a regular file stores (its
	// logical size for sparse files). Other types store no content.
	Size int64
	// Mode holds the permission and special bits (setuid 04000, setgid
	// 02000, sticky 01000, rwx 0777).
	Mode     uint32
	UID, GID int
	// Link is the hardlink target (normalized like Path) or the symlink
	// target (as written).
	Link string
	// Offset is where the content starts in the uncompressed tar stream.
	Offset int64
	// Hash is an xxhash64 of the content, valid when Hashed.
	Hash   uint64
	Hashed bool
	// Sparse files are never read: their logical size may be huge.
	Sparse bool
	// PrivateKey is set when a sniffed candidate's content holds a PEM
	// private key block.
	PrivateKey bool
}

// Stores reports whether the entry carries content bytes in this layer.
func (e *Entry) Stores() bool { return e.Type == File }

// roomFor1 makes room for one more entry, doubling the capacity when it
// is full. append's own growth slows to 1.25x for large slices, which on
// a layer of thousands of entries leaves some four times the final array
// behind as garbage; doubling leaves at most one final array's worth.
func roomFor1(es []Entry) []Entry {
	if len(es) == cap(es) {
		es = slices.Grow(es, max(len(es), 64))
	}
	return es
}
