// Package smtptest runs a minimal SMTP server on a loopback listener for
// tests: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, no TLS. It keeps
// what it receives and can refuse messages on demand to exercise retries.
package smtptest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// Message is one accepted e-mail.
type Message struct {
	From string
	To   []string
	Data string // as received, dot-unstuffed, CRLF line ends
}

// Server is a running test SMTP server.
type Server struct {
	Addr string // host:port on 127.0.0.1
	ln   net.Listener

	mu       sync.Mutex
	messages []Message
	failures int // DATA refusals still to give
}

// Start runs a server until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serve(c)
			}()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return s
}

// FailNext makes the next n messages be refused at the end of DATA with a
// temporary error (451), as a busy server would.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failures = n
	s.mu.Unlock()
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 smtptest ESMTP") {
		return
	}
	var cur Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-smtptest\r\n250-8BITMIME\r\n250 SIZE 1048576")
		case "HELO", "NOOP":
			reply("250 ok")
		case "RSET":
			cur = Message{}
			reply("250 ok")
		case "MAIL":
			cur = Message{From: addr(arg)}
			reply("250 ok")
		case "RCPT":
			cur.To = append(cur.To, addr(arg))
			reply("250 ok")
		case "DATA":
			if !reply("354 go on") {
				return
			}
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.Data = b.String()
			s.mu.Lock()
			fail := s.failures > 0
			if fail {
				s.failures--
			} else {
				s.messages = append(s.messages, cur)
			}
			s.mu.Unlock()
			if fail {
				reply("451 4.3.0 try again later")
			} else {
				reply("250 queued")
			}
			cur = Message{}
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// addr takes the address out of "FROM:<a@b> ..." or "TO:<a@b>".
func addr(arg string) string {
	_, v, _ := strings.Cut(arg, ":")
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '>'); strings.HasPrefix(v, "<") && i > 0 {
		return v[1:i]
	}
	return v
}
