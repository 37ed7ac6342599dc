package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/model"
)

// JSONL limits: a line may hold a post of up to maxLineBytes (no platform
// takes a post of more than about 64,000 characters; checking a post costs
// about 40 times its size in memory, so the limit bounds that too); lines
// are checked in batches of up to batchLines lines or batchBytes bytes, and
// at most 2×workers batches are in flight, which bounds memory.
const (
	maxLineBytes = 8 << 20
	batchLines   = 256
	batchBytes   = 1 << 20
)

// batch is a run of consecutive input lines and their output.
type batch struct {
	lines [][]byte
	nums  []int // line numbers, from 1
	out   bytes.Buffer
	bad   int  // lines that could not be read
	fail  bool // some report has an error-severity finding
	done  chan struct{}
}

// checkJSONL reads one Draft per line from in and writes one Report (or
// {"id","error"}) per line to out, in input order, using every core.
func checkJSONL(ctx context.Context, c *check.Checker, in io.Reader, out io.Writer) error {
	// Start with a heap goal sized to the compiled checker, not to the
	// garbage of start-up and compilation: it keeps the resident set small.
	runtime.GC()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *batch)
	ordered := make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.run(c)
				close(b.done)
			}
		})
	}

	w := bufio.NewWriterSize(out, 256<<10)
	var bad, lines int
	var fail bool
	var werr error
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for b := range ordered {
			<-b.done
			if werr == nil {
				_, werr = w.Write(b.out.Bytes())
			}
			bad += b.bad
			lines += len(b.lines)
			fail = fail || b.fail
		}
	}()

	rerr := readBatches(ctx, bufio.NewReaderSize(in, 1<<20), func(b *batch) {
		ordered <- b
		work <- b
	})
	close(work)
	close(ordered)
	wg.Wait()
	<-writerDone
	if werr == nil {
		werr = w.Flush()
	}
	switch {
	case rerr != nil:
		return usageError("reading input: %v", rerr)
	case werr != nil:
		return werr
	case bad > 0:
		return &exitError{code: 2, err: fmt.Errorf("%d of %d lines could not be read", bad, lines)}
	case fail:
		return exitFindings
	}
	return nil
}

// readBatches splits r into batches of lines and hands each to send.
// Blank lines are skipped; a line over maxLineBytes is kept as a nil
// entry, reported as unreadable.
func readBatches(ctx context.Context, r *bufio.Reader, send func(*batch)) error {
	lineNo := 0
	cur := &batch{done: make(chan struct{})}
	size := 0
	flush := func() {
		if len(cur.lines) > 0 {
			send(cur)
		}
		cur = &batch{done: make(chan struct{})}
		size = 0
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readJSONLine(r)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		atEnd := errors.Is(err, io.EOF)
		if !atEnd || len(line) > 0 || tooLong {
			lineNo++
		}
		// A blank line is no draft and gets no output line.
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			cur.lines = append(cur.lines, line)
			cur.nums = append(cur.nums, lineNo)
			size += len(line)
			if len(cur.lines) == batchLines || size >= batchBytes {
				flush()
			}
		}
		if atEnd {
			flush()
			return nil
		}
	}
}

// readJSONLine returns the next line without its end of line ("\n" or
// "\r\n"). A line longer than maxLineBytes is skipped and reported as
// tooLong with a nil line.
func readJSONLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	line, tooLong, err = readLine(r, maxLineBytes)
	line = bytes.TrimSuffix(line, []byte("\r"))
	if line == nil && !tooLong && err == nil {
		line = []byte{}
	}
	return line, tooLong, err
}

// lineError is the output line of a draft that could not be read.
type lineError struct {
	ID    *string `json:"id"`
	Error string  `json:"error"`
}

// run checks every line of the batch.
func (b *batch) run(c *check.Checker) {
	enc := json.NewEncoder(&b.out)
	enc.SetEscapeHTML(false)
	for i, line := range b.lines {
		var d model.Draft
		err := fmt.Errorf("line longer than %d MiB", maxLineBytes>>20)
		if line != nil {
			err = nil
			if !decodeDraft(line, &d) {
				d = model.Draft{}
				err = json.Unmarshal(line, &d)
			}
			if err == nil {
				err = c.Validate(d)
			}
		}
		if err != nil {
			b.bad++
			le := lineError{Error: fmt.Sprintf("line %d: %v", b.nums[i], err)}
			var idOnly struct {
				ID *string `json:"id"`
			}
			if line != nil && json.Unmarshal(line, &idOnly) == nil {
				le.ID = idOnly.ID
			}
			enc.Encode(le) // cannot fail: a struct of strings into a buffer
			continue
		}
		rep := c.Check(d)
		b.fail = b.fail || rep.HasErrors()
		if line, ok := appendReport(b.out.AvailableBuffer(), &rep); ok {
			b.out.Write(line)
		} else if err := enc.Encode(rep); err != nil {
			b.bad++
			enc.Encode(lineError{ID: &d.ID, Error: fmt.Sprintf("line %d: %v", b.nums[i], err)})
		}
	}
}
