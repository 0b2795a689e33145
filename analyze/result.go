// Package analyze turns an opened image into a plain Result: each layer's
// own changes, the stacked file system as of any layer, sizes, waste by
// cause, dive's figures and image findings. It prints nothing and never
// exits; the CLI, the TUI and build integrations render what it returns.
//
// Model in short:
//   - Paths interns every path once; everything else refers to PathIDs.
//   - Entries holds every tar entry of every layer, layer after layer;
//     Layer.Entries is that layer's slice, sorted in tree order. Each entry
//     knows the layer that stored it and the layer that ended its life
//     (Until), which is all a stacked view needs: View(k) shows the
//     entries with Layer <= k < Until, computed on demand.
//   - Waste records each stored copy that a later entry shadowed or
//     deleted, with its cause; Figures and Findings summarize.
package analyze

import (
	"time"

	"github.com/strata-dev/strata/analyze/layer"
)

// Result is everything known about one image.
type Result struct {
	Image    ImageInfo
	Base     BaseInfo
	Layers   []Layer
	History  []History
	Paths    *Paths
	Entries  []Entry
	Figures  Figures
	Dive     DiveMetrics
	Waste    []Waste
	Findings []Finding
	Warnings []string
	// Attribution is set by strata analyze --build and --dockerfile.
	Attribution *Attribution
}

// ImageInfo describes the image and where it was read from.
type ImageInfo struct {
	Source      string
	Transport   string
	Name        string
	Digest      string
	MediaType   string
	Platform    string
	Created     time.Time
	Annotations map[string]string
}

// BaseInfo says which layers belong to the base image and how that was
// decided: "flag" (--base), "annotation", "history" or "first-layer".
type BaseInfo struct {
	Layers int
	Source string
	Image  string // the base image's name when known
}

// Layer is one layer with its figures.
type Layer struct {
	Index       int
	Digest      string
	DiffID      string
	MediaType   string
	Compression string
	// BlobSize is the stored (usually compressed) size, -1 when unknown.
	BlobSize int64
	// Size is the content bytes the layer stores (regular files, by their
	// header sizes; each hardlinked inode once).
	Size int64
	// Files counts entries other than whiteouts and opaque markers.
	Files    int
	Added    Count
	Modified Count // content changed (includes type changes)
	Attrs    Count // metadata only: mode, owner
	Same     Count // identical re-adds
	Deleted  Count // whiteouts and opaque markers; Bytes are the lower bytes they hide
	// Wasted is how many of this layer's bytes later entries shadow.
	Wasted  int64
	History *History
	// Instruction is the Dockerfile instruction that made the layer, when
	// the image was built or matched against a Dockerfile (nil for base
	// layers).
	Instruction *Instruction
	Base        bool
	Verified    bool // a digest was checked while reading
	Skimmed     bool // content was skipped by seeking (not verified)
	// Entries is this layer's slice of Result.Entries in tree order.
	Entries []Entry
	// first is the index of Entries[0] in Result.Entries.
	first int
}

// Count is a number of entries and the bytes they store.
type Count struct {
	N     int
	Bytes int64
}

// History is one entry of the config's history.
type History struct {
	Created    time.Time
	CreatedBy  string
	Comment    string
	EmptyLayer bool
	// Layer is the index of the layer this entry made, -1 for empty ones.
	Layer int
	// Instruction is the Dockerfile instruction that made the entry, when
	// known (see Attribution).
	Instruction *Instruction
}

// Change says what an entry did to the path compared with the layers below.
type Change uint8

// Changes.
const (
	Added    Change = iota
	Modified        // different content or type
	Attrs           // same content, different mode or owner
	Same            // identical re-add
	Deleted         // a whiteout or opaque marker
)

var changeNames = [...]string{"added", "modified", "attrs", "same", "deleted"}

func (c Change) String() string { return changeNames[c] }

// Forever is the Until of entries that survive in the final image.
const Forever = int32(1<<31 - 1)

// Entry is one tar entry of one layer. Fields are ordered to keep it at
// 80 bytes: a million-file image holds a million of them.
type Entry struct {
	// Size is the bytes this entry stores (0 for all but regular files).
	Size   int64
	offset int64
	hash   uint64
	Link   string
	Path   PathID
	Layer  int32
	// Until is the layer whose entry shadowed or deleted this one (the
	// same layer for duplicates inside a layer), Forever if it survives.
	Until int32
	// Inode is the index in Result.Entries of the regular file whose
	// content this entry shows: itself, or a hardlink's target. -1 for
	// entries without content.
	Inode    int32
	prev     int32 // the previous entry for the same path, -1
	Mode     uint32
	UID, GID uint32
	Type     layer.Type
	Change   Change
	flags    entryFlags
}

type entryFlags uint8

const (
	flagHashed entryFlags = 1 << iota
	flagSparse
	flagKey // holds a private key
)

func (e *Entry) hashed() bool { return e.flags&flagHashed != 0 }
func (e *Entry) sparse() bool { return e.flags&flagSparse != 0 }
func (e *Entry) key() bool    { return e.flags&flagKey != 0 }

// Visible reports whether the entry is part of the file system as of
// layer k.
func (e *Entry) Visible(k int) bool {
	return int(e.Layer) <= k && k < int(e.Until) && e.Type != layer.Whiteout && e.Type != layer.Opaque
}

// Figures are the image's sizes and waste, by strata's (OCI-exact) rules.
type Figures struct {
	Layers     int
	BaseLayers int
	// TotalSize is the content bytes of all layers; UserSize of the
	// non-base layers only.
	TotalSize int64
	UserSize  int64
	// BlobSize is the sum of blob sizes (compressed), -1 if one is unknown.
	BlobSize int64
	// FinalSize and FinalFiles describe the file system of the last layer
	// (each hardlinked inode once). FinalSize = TotalSize - Wasted.
	FinalSize  int64
	FinalFiles int
	// Wasted is the bytes of copies a later layer shadows or deletes;
	// UserWasted the part stored by non-base layers.
	Wasted     int64
	UserWasted int64
	ByCause    map[Cause]int64
	// Efficiency = 1 - Wasted/TotalSize (1 for an empty image).
	Efficiency float64
	// UserWastedPercent = UserWasted/UserSize (0 when UserSize is 0).
	UserWastedPercent float64
}

// Cause is why a stored copy is waste.
type Cause string

// Causes of waste.
const (
	CauseDuplicate Cause = "duplicate" // re-added with identical content and metadata
	CauseMetadata  Cause = "metadata"  // re-added for a mode or owner change only
	CauseModified  Cause = "modified"  // replaced by different content
	CauseDeleted   Cause = "deleted"   // removed by a whiteout, opaque dir or replacement
)

// Causes lists the causes in report order.
var Causes = []Cause{CauseDuplicate, CauseMetadata, CauseModified, CauseDeleted}

// Waste is one stored copy that does not survive.
type Waste struct {
	Path  PathID
	Bytes int64
	Cause Cause
	// StoredIn is the layer holding the bytes, ShadowedBy the layer that
	// made them unreachable.
	StoredIn   int
	ShadowedBy int
}

// DiveMetrics are dive 0.13's three figures, computed exactly as dive
// does, faults included, so that .dive-ci thresholds keep their meaning.
type DiveMetrics struct {
	Efficiency    float64
	WastedBytes   uint64
	UserSizeBytes uint64
	// UserWastedPercent is NaN or +Inf where dive divides by zero.
	UserWastedPercent float64
}
