package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1001 reports a RUN that deletes what an earlier instruction put in the
// image.
var ST1001 = register(&lint.Rule{
	Code:     "ST1001",
	Name:     "deleted-in-later-layer",
	Summary:  "Do not delete in a RUN what an earlier COPY, ADD or RUN put in the image",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `rm` in a `RUN` of a path that an earlier instruction of the stage (or of a stage it is built " +
			"FROM) placed in an earlier layer: a `COPY` or `ADD` destination, or a file an earlier `RUN` downloaded " +
			"(`curl -o`, `wget`, `git clone`) and did not delete itself. A path inside a directory that `COPY . /app` " +
			"filled is reported when the build context is known and shows that the path came from it; the message " +
			"then says how many bytes stay behind. A general clean-up (`rm -rf /tmp/*`, `rm -rf /opt`) counts for what COPY or ADD " +
			"put there, not for a file an earlier RUN fetched that it does not name; an `mv` of a copied or downloaded file of 1 MiB " +
			"or more (or a binary-looking download) is reported too: the moved file is stored a second time. Stages that do not reach the image are not checked. An archive that " +
			"a RUN extracts is left to DL3010.",
		Why: "Every instruction commits a layer, and a later layer can only hide a file, never take its bytes back: " +
			"the image is as large as if the file were still there. Deleting the test data or the `node_modules` " +
			"that `COPY . .` brought along, or the installer a previous RUN downloaded, frees nothing.",
		Fix: "Keep the files from reaching the layer at all: list them in `.dockerignore`, copy only what the image " +
			"needs, use a file once without storing it (`RUN --mount=type=bind,source=setup.sh,target=/tmp/setup.sh sh " +
			"/tmp/setup.sh`), download, use and delete in one RUN, or do the work in a build stage and copy the result.",
		Peers: "complements DL3010 (a COPY'd archive extracted later) and DL3059 (RUNs that should be one).",
	},
	Examples: []lint.Example{
		{Title: "A copied installer deleted later", Dockerfile: "FROM debian:12\nCOPY install.sh /tmp/install.sh\nRUN sh /tmp/install.sh && rm /tmp/install.sh\n", Want: []string{"3:27"}},
		{Title: "A download deleted by the next RUN", Dockerfile: "FROM debian:12\nRUN curl -fsSLo /tmp/tool.bin https://example.com/tool.bin\nRUN install -m 755 /tmp/tool.bin /usr/local/bin/tool\nRUN rm -f /tmp/tool.bin\n", Want: []string{"4:5"}},
		{Title: "A path held in a quoted ENV value", Dockerfile: "FROM debian:12\nENV DIR=\"/opt/scripts\"\nCOPY setup.sh $DIR/\nRUN sh $DIR/setup.sh && rm -rf $DIR/setup.sh\n", Want: []string{"4:25"}},
		{Title: "A general clean-up of what COPY put in /tmp", Dockerfile: "FROM debian:12\nCOPY app.jar /tmp/\nRUN java -jar /tmp/app.jar --install /srv\nRUN rm -rf /tmp/*\n", Want: []string{"4:5"}},
		{Title: "Used without storing it", Dockerfile: "FROM debian:12\nRUN --mount=type=bind,source=install.sh,target=/tmp/install.sh sh /tmp/install.sh\n"},
		{Title: "Downloaded, used and deleted in one RUN", Dockerfile: "FROM debian:12\nRUN curl -fsSLo /tmp/tool.bin https://example.com/tool.bin && install -m 755 /tmp/tool.bin /usr/local/bin/tool && rm /tmp/tool.bin\n"},
		{
			Title:      "Part of the context deleted after COPY . .",
			Dockerfile: "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && rm -rf tests\n",
			Context:    map[string]string{"package.json": "{}", "tests/big.json": "0123456789"},
			Want:       []string{"4:15"},
		},
	},
	Check: func(p *lint.Pass) {
		idx := contextIndex(p)
		walkLayers(p.File, func(ins *lint.Instruction, _ *lint.Script, st *layerState, rf *runFiles) {
			if !stageKept(p.File, ins) {
				return
			}
			for _, r := range rf.removals {
				if f, ok := laterChange(idx, st, rf, r, false); ok {
					p.Report(lint.Finding{
						At: ins, Range: r.cmd.Range(),
						Message: "`rm` of " + f.what + " after the " + f.place.how() + " put it in an earlier layer: " + f.cost("stay", "stays") +
							" in the image all the same",
						Help: f.help("delete"),
					})
					break // one finding per command
				}
			}
			for _, m := range rf.moves {
				if f, ok := movedCopy(idx, st, m); ok {
					p.Report(lint.Finding{
						At: ins, Range: m.cmd.Range(),
						Message: "`mv` of " + f.what + " after the " + f.place.how() + " put it in an earlier layer: the new layer stores " +
							f.size() + " again, and the old one keeps " + f.them(),
						Help: f.help("move"),
					})
					break
				}
			}
		})
	},
})

// movedCopy finds a whole placement that an mv takes elsewhere when the
// second copy matters: a file of 1 MiB or more, or a download that may be
// a large binary.
func movedCopy(idx *lint.ContextIndex, st *layerState, m pathOp) (change, bool) {
	for k := len(st.placed) - 1; k >= 0; k-- {
		pl := &st.placed[k]
		if m.target != pl.path {
			continue
		}
		c := change{place: pl, what: "`" + showPath(pl.path) + "`"}
		c.files, c.bytes, c.sized = sourceSize(idx, pl.src, "")
		big := worthCopying(pl, c) || !c.sized && path.Ext(pl.path) != "" && worthCopying(&placed{path: pl.path}, c)
		if pl.dir && !(c.sized && c.bytes >= smallFile) || !pl.dir && !big {
			return change{}, false
		}
		return c, true
	}
	return change{}, false
}

// size says how much: "2.1 MB in 40 files", or "the file" when not known.
func (c change) size() string {
	if c.sized {
		return filesAndBytes(c.files, c.bytes)
	}
	if c.place.dir {
		return "the files"
	}
	return "the file"
}

// them is the pronoun for what was placed.
func (c change) them() string {
	if c.place.dir || c.sized && c.files > 1 {
		return "them"
	}
	return "it"
}

// change is a later RUN touching something placed in an earlier layer.
type change struct {
	place *placed
	what  string // the path, as a message shows it
	files int
	bytes int64
	sized bool
	// several is set when the target holds more than one thing earlier
	// instructions placed.
	several bool
}

// cost says what stays behind: "those 2.1 MB in 40 files stay", or "the
// files stay" when the size is not known.
func (c change) cost(many, one string) string {
	if !c.sized {
		if c.place.dir || c.several || path.Ext(c.place.path) == "" {
			return "the files " + many
		}
		return "the file " + one
	}
	return "those " + filesAndBytes(c.files, c.bytes) + " " + many
}

// help says how to avoid storing the bytes in the first place.
func (c change) help(verb string) string {
	switch {
	case c.place.src == nil && c.place.ins.Kind == "run" && verb == "move":
		return "download it where it belongs"
	case c.place.src == nil && c.place.ins.Kind == "run":
		return verb + " it in the same RUN that downloads it"
	case verb == "move" && (c.place.ins.Kind == "copy" || c.place.ins.Kind == "add"):
		return "copy it where it belongs: " + strings.ToUpper(c.place.ins.Kind) + " ... <final path>"
	case c.place.src != nil && c.place.src.Path == "." || c.place.dir && c.place.src != nil:
		return "keep it out of the image: list it in .dockerignore or copy only what the image needs"
	case c.place.src != nil:
		return "use it without storing it: RUN --mount=type=bind,source=" + c.place.src.Raw + ",target=" + showPath(c.place.path) + " ..."
	}
	if from, ok := c.place.ins.Flag("from"); ok && verb == "delete" && c.place.raw != "" {
		return "use it without storing it: RUN --mount=type=bind,from=" + from.Value + ",source=" + c.place.raw +
			",target=" + showPath(c.place.path) + " ..."
	}
	return "do this in the stage the files come from, or copy only what the image needs"
}

// laterChange finds what an rm, chmod or chown target of a RUN touches
// among the paths earlier layers placed, most recent first. With modes
// (chmod, chown), a non-recursive change counts only on a whole file: on a
// directory it rewrites the directory entry alone.
func laterChange(idx *lint.ContextIndex, st *layerState, rf *runFiles, r pathOp, modes bool) (change, bool) {
	for k := len(st.placed) - 1; k >= 0; k-- {
		pl := &st.placed[k]
		if pl.archive && extractedIn(rf, pl.path) {
			continue // DL3010's case
		}
		if covers(r.target, pl.path) {
			if r.target != pl.path && blanket(r.target) && !copied(pl) && !strings.Contains(rf.script.Text, path.Base(pl.path)) {
				// A general clean-up (rm -rf /tmp/*) that does not know
				// about a file a RUN may have fetched. What COPY or ADD put
				// there is this Dockerfile's own doing: the clean-up deletes
				// it and its bytes stay in the COPY layer.
				continue
			}
			if modes && !r.recursive && (pl.dir || r.target != pl.path) {
				continue // chmod of a directory entry only
			}
			c := change{place: pl, what: "`" + showPath(pl.path) + "`"}
			c.files, c.bytes, c.sized = sourceSize(idx, pl.src, "")
			// chmod +x of a script costs next to nothing; but -R on a
			// destination whose size is unknown (no context) is most likely a
			// directory of files.
			// A COPY of a context directory without a trailing slash
			// (COPY assets /srv/assets) is a directory too: the context
			// says so by holding several files under the source.
			single := !pl.dir && !(c.sized && c.files > 1)
			if modes && (!r.recursive || r.target == pl.path && single) && !worthCopying(pl, c) && !(r.recursive && !c.sized && path.Ext(pl.path) == "") {
				continue
			}
			if r.target != pl.path {
				// The target holds it: count everything the instruction put
				// under the target.
				c.what = "`" + showPath(r.target) + "`"
				for j := range st.placed {
					if j != k && covers(r.target, st.placed[j].path) {
						c.several = true // "the files", whichever instruction put them there
					}
				}
				for j := k - 1; j >= 0; j-- {
					if o := &st.placed[j]; o.ins == pl.ins && covers(r.target, o.path) {
						f, b, ok := sourceSize(idx, o.src, "")
						c.files, c.bytes, c.sized = c.files+f, c.bytes+b, c.sized && ok
					}
				}
			}
			return c, true
		}
		if !pl.dir {
			continue
		}
		if !modes && emptied(r.target, pl.path) {
			// rm -rf /wheels/* after COPY wheels/ /wheels/: all of it.
			c := change{place: pl, what: "`" + showPath(r.target) + "`"}
			c.files, c.bytes, c.sized = sourceSize(idx, pl.src, "")
			return c, true
		}
		rel, ok := inside(r.target, pl.path)
		if !ok {
			continue
		}
		c := change{place: pl, what: "`" + showPath(r.target) + "`"}
		c.files, c.bytes, c.sized = sourceSize(idx, pl.src, rel)
		if !c.sized || c.files == 0 && c.bytes == 0 && !modes {
			continue // no evidence that it came from the context
		}
		if modes && !r.recursive && !(c.files == 1 && c.bytes >= smallFile && contextFile(idx, pl.src, rel)) {
			// A directory entry only, or a small file: chmod 755
			// /app/src/main.js after COPY . /app counts when main.js
			// is 1 MiB or more.
			continue
		}
		return c, true
	}
	return change{}, false
}

// contextFile reports whether the part at rel under a directory source is
// a single file in the build context (not a directory).
func contextFile(idx *lint.ContextIndex, src *lint.ContextSource, rel string) bool {
	if idx == nil || src == nil || src.Wildcard || strings.ContainsAny(rel, "*?[") {
		return false
	}
	i := idx.Lookup(path.Join(src.Path, rel))
	return i >= 0 && !idx.Entries[i].IsDir()
}

// worthCopying reports whether a second copy of one file matters: a
// download that may be a large binary, or a context file of 1 MiB or more.
func worthCopying(pl *placed, c change) bool {
	if pl.src != nil {
		return c.sized && c.bytes >= smallFile
	}
	switch ext := path.Ext(pl.path); ext {
	case "", ".jar", ".bin", ".phar", ".run", ".AppImage", ".exe", ".war":
		return true
	default:
		return pl.archive
	}
}

// smallFile is the size under which a second copy of one file made by a
// chmod is not worth a finding.
const smallFile = 1 << 20

// blanket reports whether an rm target is a general clean-up of a
// directory rather than the removal of something in particular.
func blanket(target string) bool {
	switch target {
	case "/", "/tmp", "/var/tmp", "/root", "/usr/src", "/usr/local/src", "/opt":
		return true
	}
	return strings.HasSuffix(target, "/*") || strings.HasSuffix(target, "/.*") || strings.HasSuffix(target, "/*.*")
}

// copied reports whether COPY or ADD (not a RUN) placed it.
func copied(pl *placed) bool {
	return pl.ins.Kind == "copy" || pl.ins.Kind == "add"
}

// emptied reports whether an rm target deletes everything in dir
// (dir/*).
func emptied(target, dir string) bool {
	return target == path.Join(dir, "*")
}

// extractedIn reports whether the RUN unpacks the archive at p.
func extractedIn(rf *runFiles, p string) bool {
	for _, e := range rf.extracts {
		if e.archive == p {
			return true
		}
	}
	return false
}
