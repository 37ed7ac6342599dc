// Command jsonl writes N realistic drafts, one JSON object per line, for
// measuring `herald check --jsonl`:
//
//	go run ./bench/jsonl -n 100000 > /tmp/posts.jsonl
//	/usr/bin/time -v herald check --jsonl /tmp/posts.jsonl > /dev/null
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

var (
	openings = []string{
		"Today in %s, UNOPS handed over %d rehabilitated %s to the Ministry of %s.",
		"Aujourd'hui à %s, l'UNOPS a remis %d %s rénovés au ministère de %s.",
		"Hoy en %s, UNOPS entregó %d %s rehabilitados al Ministerio de %s.",
		"In %s we completed %d %s with the Ministry of %s and local engineers.",
	}
	places  = []string{"Juba", "Bamako", "Bogotá", "Kabul", "Nairobi", "Port-au-Prince", "Amman", "Dhaka", "Kyiv", "Copenhagen"}
	things  = []string{"schools", "health centres", "bridges", "water points", "roads", "solar plants", "hospitals"}
	sectors = []string{"Education", "Health", "Roads", "Energy", "Water", "Infrastructure"}
	middles = []string{
		"More than %d people now have safe access to services.",
		"Plus de %d personnes ont désormais accès aux services.",
		"Más de %d personas tienen ahora acceso seguro a servicios.",
		"The project employed %d local workers, a third of them women.",
	}
	extras = []string{
		"Thank you to our partners for their support!",
		"Read more: https://www.unops.org/news",
		"Contact jane.doe@gmail.com or +211 912 345 678 for details.",
		"This draft report is confidential until Monday.",
		"Our amazing team did the best work ever.",
		"Merci à nos partenaires pour leur confiance. #Santé",
		"Gracias a nuestros socios. https://bit.ly/3xYz",
		"Allegations of fraud are being investigated.",
	}
	platforms = []string{"x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", ""}
	kinds     = []string{"corporate", "country-office", "project", "personal"}
)

func main() {
	n := flag.Int("n", 100000, "number of drafts")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 42))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i := range *n {
		text := fmt.Sprintf(pick(openings), pick(places), 2+rng.IntN(40), pick(things), pick(sectors)) + " " +
			fmt.Sprintf(pick(middles), 1000+rng.IntN(90000)) + " " + pick(extras)
		d := map[string]any{"id": fmt.Sprintf("post-%d", i), "text": text, "platform": pick(platforms)}
		acct := map[string]any{"kind": pick(kinds), "handle": "@UNOPS"}
		if acct["kind"] == "project" {
			acct["project"] = map[string]any{"name": "Juba Bridges Programme", "keywords": []string{"bridge", "Juba"}}
		}
		d["account"] = acct
		if rng.IntN(10) == 0 {
			d["reply_to"] = "You people are useless idiots"
		}
		if err := enc.Encode(d); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
