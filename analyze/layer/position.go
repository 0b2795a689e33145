package layer

import "io"

// position counts the bytes consumed from a stream so that entries can
// record where their content starts.
type position struct {
	r io.Reader
	n int64
}

func (p *position) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

// seekingPosition lets archive/tar skip content by seeking (it does so
// whenever its reader is an io.Seeker) while keeping the count right.
type seekingPosition struct {
	*position
	s io.Seeker
}

func (p *seekingPosition) Seek(offset int64, whence int) (int64, error) {
	n, err := p.s.Seek(offset, whence)
	if err == nil {
		p.n = n
	}
	return n, err
}
