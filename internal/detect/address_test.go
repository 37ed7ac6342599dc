package detect

import "testing"

// TestStreetAddressLayouts covers the layouts beyond "number, name, street
// type": the house number after an unmarked name, postal code and unit
// lines, multi-line addresses, US forces addresses, intersections, texts
// written in lower case, in English, French and Spanish sentences.
func TestStreetAddressLayouts(t *testing.T) {
	runTextCases(t, "street-address", nil, []textCase{
		// An unmarked street name with its number, announced by the words
		// before or completed by a postal code after.
		{"My address is Lindenhof 14, 8001 Zürich.", one("Lindenhof 14, 8001 Zürich")},
		{"Elle vit à Borgo Nuovo 21, Trento, depuis mars.", one("Borgo Nuovo 21")},
		{"Vive en Rosales 44, 170143 Quito, con su madre.", one("Rosales 44, 170143 Quito")},
		{"Our partner's office, Rosenlund 12, 2100 Roskilde, opens on Monday.", one("Rosenlund 12, 2100 Roskilde")},
		{"Le bureau, Lipová 17, 602 00 Brno, ouvre lundi.", one("Lipová 17, 602 00 Brno")},
		{"La oficina, Rua Augusta 310, 1100-053 Lisboa, abre el lunes.", one("Rua Augusta 310, 1100-053 Lisboa")},
		{"Mi casa: Calle Luna 9, 3º B, 28004 Madrid", one("Calle Luna 9, 3º B, 28004 Madrid")},
		// Italian, Portuguese, Dutch and German names.
		{"Ci vediamo in Piazza Navona 3, Roma", one("Piazza Navona 3")},
		{"Moro na Praça da Sé 10, em São Paulo", one("Praça da Sé 10")},
		{"Het kantoor is aan de Prinsengracht 263, Amsterdam", one("Prinsengracht 263")},
		{"Unser Büro: Kurfürstendamm 21, 10719 Berlin", one("Kurfürstendamm 21, 10719 Berlin")},
		// House number ranges and suffixes; units after the street.
		{"Our shop at 12-14 Baker Street reopens", one("12-14 Baker Street")},
		{"Rendez-vous au 12 bis rue de la Paix", one("12 bis rue de la Paix")},
		{"Send it to 350 Harbor Loop #4, please", one("350 Harbor Loop #4")},
		{"Mail: 77 Elm Trail, Unit 5, Austin, TX 78701-1234", one("77 Elm Trail, Unit 5, Austin, TX 78701-1234")},
		{"Vivo en Calle Luna 9, piso 3, Madrid", one("Calle Luna 9, piso 3")},
		// A building number before the house number.
		{"He lives at 4077 12 Harbour Road, Dublin", one("4077 12 Harbour Road")},
		{"Il habite 27 Kastanienallee 9 à Berlin", one("27 Kastanienallee 9")},
		// Abbreviated street types and lower-case words inside a name.
		{"Av. Corrientes 1234, Buenos Aires", one("Av. Corrientes 1234")},
		{"Elle habite ul. Długa 5 à Varsovie", one("ul. Długa 5")},
		{"Au 12 rue du général Leclerc, à Nantes", one("12 rue du général Leclerc")},
		// Multi-line, up to the unit and postal code lines.
		{"Send the forms to:\nMaria Ortega\nLas Acacias 210\nDepto. 3\n1428 Buenos Aires", one("Las Acacias 210\nDepto. 3\n1428 Buenos Aires")},
		{"Envoyez le colis à\nJean Dupuis\n8 rue des Lilas\nAppartement 4\n69003 Lyon", one("8 rue des Lilas\nAppartement 4\n69003 Lyon")},
		{"> 51 Mill Lane\n> Suite 4\n> Leeds\n> LS1 4AB", one("51 Mill Lane\n> Suite 4")},
		// US forces addresses.
		{"Ship it to PSC 1234, Box 5678\nAPO AE 09001 please", one("PSC 1234, Box 5678\nAPO AE 09001")},
		{"Écrivez à USS Harmony\nFPO AP 96601 avant juin", one("USS Harmony\nFPO AP 96601")},
		// Intersections.
		{"We are at the corner of Oak 12 and Pine Street.", one("Oak 12 and Pine Street")},
		{"Estamos en la esquina de Bolívar 45 y Sucre", one("Bolívar 45 y Sucre")},
		// Texts written all in lower case.
		{"my address: 14 rue des acacias, 75017 paris", one("14 rue des acacias, 75017 paris")},
		{"mi dirección es calle los pinos 22, 28001 madrid", one("calle los pinos 22, 28001 madrid")},
		{"meet me at 9 elm road tonight", one("9 elm road")},
		// East Asian orders, from the largest area to the house.
		{"Mon adresse à Pékin : 北京市朝阳区建国路88号", one("北京市朝阳区建国路88号")},
		{"Mi dirección en Tokio: 東京都千代田区霞が関1丁目2番3号に住んでいます", one("東京都千代田区霞が関1丁目2番3号")},
		{"Bureau : 東京都渋谷区神南1-2-3", one("東京都渋谷区神南1-2-3")},
		{"Our Seoul office: 서울특별시 종로구 세종대로 209에 있어요", one("세종대로 209")},
		{"Oficina: 서울 강남구 테헤란로 152", one("테헤란로 152")},
		{"Our office: 1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8919", one("1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8919")},
		{"She lives at 3-chome Ginza, Chuo-ku", one("3-chome")},
		{"地铁3号线今天停运", nil},    // line 3
		{"第3号文件已发布", nil},     // document no. 3
		{"北海道3日間の旅", nil},     // three days in Hokkaido
		{"1番線の電車", nil},       // platform 1
		{"버스로 3시간 걸려요", nil},  // three hours by bus
		{"2024年3月1日に開催", nil}, // a date
		{"In 2019-2020 Minato-ku hosted 3 events", nil},
		{"Scores 1-2-3 in the final", nil},
		{"Schreiben Sie an Postfach 1204, 8021 Zürich", one("Postfach 1204, 8021 Zürich")},
		// Precision traps: numbered places, counts, times, years, codes.
		{"Unit 5 of the hospital opened on Floor 2", nil},
		{"Meet our HR team on Saturday 14 March, 9:00 to 15:00, at the Social Hall.", nil}, // a weekday and a date
		{"Rendez-vous samedi 14 mars au centre culturel.", nil},
		{"Con la dirección regional de salud. A 3.700 m, el puesto tiene oxígeno.", nil}, // "dirección" announces nothing past a sentence's end
		{"Our new address. Please write to 12 Quarry Lane, Leeds.", one("12 Quarry Lane")},
		{"What is your address? it is 5638 Aasa 43", one("5638 Aasa 43")},
		{"We built 12 Health Centers and 5 Water Points", nil},
		{"Meet us at Pavilion 3 of the fair", nil},
		{"Join us at Booth 12 on Monday", nil},
		{"She moved to Goma 3 years ago", nil},
		{"We sent 12 trucks to Juba 2 days ago", nil},
		{"Nous sommes arrivés à Goma 3 jours plus tard", nil},
		{"Volvimos a Bunia 2 semanas después", nil},
		{"Supplies were delivered to Kakuma 2, the second camp.", nil},
		{"Les familles vivent à Mugunga 3 depuis 2023.", nil},
		{"In Phase 2, 15000 people were reached", nil},
		{"Agenda 2030, 17 Goals and 169 targets", nil},
		{"Meet the Team 2025, 3000 Volunteers", nil},
		{"Meet us in Room 12 at 10:00", nil},
		{"the corner of the room was 3 meters wide", nil},
		{"We moved to Kabul in 2019", nil},
		{"She lives in Juba since 2015", nil},
		{"Retour à Goma 2 fois par an", nil},
		{"Envoyé à Niamey 3 000 kits", nil},
		{"Send the donation to IBAN GB82 WEST 1234 5698 7654 32 and tag us!", nil},
		{"Return to Page 5, 2nd paragraph", nil},
		{"nous vivons à goma 3 ans après", nil},
	})
}
