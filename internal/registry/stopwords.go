package registry

// stopWords are function words of English, French and Spanish, folded (no
// accents), dropped before comparing names and topics.
var stopWords = toSet(`
a an and are as at be by for from has have in into is it its of on or our
that the their this to was we were will with who what which about over
all any more most other some such than then these those through under up
our us you your
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur
leurs lui ma mais me meme mes moi mon ne nos notre nous ou par pas pour qu
que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous d l
c j n s t y est sont ete etre
al como con cual cuando del desde donde el ella ellas ellos en entre era es
esta estan este esto estos fue ha hay la las lo los mas mi mis muy ni no
nos nuestra nuestro nuestros nuestras o os para pero por que se sin sobre
son su sus tambien te tu un una unas uno unos y ya
`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words(s) {
		m[w] = true
	}
	return m
}
