/*
 * pool.h - the fixed name pool of the synthetic 1,000,000-record dedupe
 * benchmark (docs/bench.md "link"). It stands in for `ctip demo --truth`
 * until that exists; names are common given and family names of the
 * countries of origin most often reported in trafficking cases (UNODC
 * GLOTIP 2022), in their usual Latin spelling. The Slavic names also have a
 * Cyrillic form, used for some records, whose transliteration
 * (data/link/translit.tsv) gives back the Latin form.
 */
#ifndef CT_BENCH_LINK_POOL_H
#define CT_BENCH_LINK_POOL_H

static const char *const pool_female[] = {
    "mary",      "anna",     "maria",     "elena",     "olga",      "natalia",  "irina",
    "svetlana",  "tatiana",  "oksana",    "olena",     "yulia",     "daria",    "alina",
    "victoria",  "kateryna", "ana",       "rosa",      "carmen",    "lucia",    "isabel",
    "sofia",     "camila",   "valentina", "gabriela",  "daniela",   "fatima",   "aisha",
    "amina",     "mariam",   "zainab",    "khadija",   "hana",      "leila",    "nadia",
    "samira",    "yasmin",   "grace",     "joy",       "blessing",  "faith",    "mercy",
    "esther",    "ruth",     "comfort",   "precious",  "favour",    "linh",     "mai",
    "thu",       "huong",    "lan",       "mei",       "ying",      "xiu",      "nguyen",
    "siti",      "dewi",     "sri",       "putri",     "rina",      "maya",     "priya",
    "anita",     "sunita",   "pooja",     "rani",      "kavita",    "jennifer", "jessica",
    "sarah",     "emily",    "elizabeth", "margaret",  "patricia",  "barbara",  "susan",
    "nicole",    "andrea",   "monika",    "agnieszka", "katarzyna", "ewa",      "joanna",
    "magdalena", "ioana",    "elena",     "andreea",   "roxana",    "mihaela",  "alexandra",
    "simona",    "diana",    "teodora",   "milena",    "vesna",     "jelena",   "ivana",
    "marta",     "lena",     "sara",      "laura",     "julia",     "eva",      "nina",
    "vera",      "zoya",     "galina",    "ludmila"};

static const char *const pool_male[] = {
    "john",    "james",   "robert",   "michael",  "william",   "david",    "joseph",    "thomas",
    "charles", "daniel",  "ivan",     "sergei",   "andrei",    "dmytro",   "oleksandr", "mykola",
    "vasyl",   "petro",   "yuri",     "pavel",    "nikolai",   "alexei",   "viktor",    "oleg",
    "igor",    "juan",    "jose",     "luis",     "carlos",    "miguel",   "pedro",     "jorge",
    "diego",   "mateo",   "santiago", "mohammed", "ahmed",     "ali",      "omar",      "hassan",
    "hussein", "ibrahim", "youssef",  "khalid",   "mustafa",   "abdullah", "samuel",    "emmanuel",
    "godwin",  "chinedu", "kwame",    "kofi",     "musa",      "sani",     "tunde",     "olu",
    "minh",    "tuan",    "hung",     "duc",      "wei",       "jun",      "hao",       "lei",
    "budi",    "agus",    "rizky",    "ravi",     "amit",      "raj",      "arjun",     "sanjay",
    "vikram",  "piotr",   "tomasz",   "pawel",    "krzysztof", "marek",    "ion",       "gheorghe",
    "vasile",  "mihai",   "florin",   "adrian",   "stefan",    "nikola",   "marko",     "milan",
    "dragan",  "goran",   "luka",     "ahmet",    "mehmet",    "mustafa",  "emre",      "murat",
    "george",  "peter",   "paul",     "mark",     "richard",   "anthony",  "kevin",     "brian",
    "edward",  "ronald",  "steven"};

static const char *const pool_family[] = {
    "smith",     "johnson",     "williams",   "brown",      "jones",      "garcia",
    "miller",    "davis",       "rodriguez",  "martinez",   "hernandez",  "lopez",
    "gonzalez",  "wilson",      "anderson",   "taylor",     "moore",      "jackson",
    "martin",    "lee",         "perez",      "thompson",   "white",      "harris",
    "sanchez",   "clark",       "ramirez",    "lewis",      "robinson",   "walker",
    "young",     "allen",       "king",       "wright",     "scott",      "torres",
    "nguyen",    "hill",        "flores",     "green",      "adams",      "nelson",
    "baker",     "hall",        "rivera",     "campbell",   "mitchell",   "carter",
    "roberts",   "kovalenko",   "shevchenko", "bondarenko", "tkachenko",  "kravchenko",
    "oliinyk",   "melnyk",      "boiko",      "moroz",      "lysenko",    "petrenko",
    "ivanov",    "smirnov",     "kuznetsov",  "popov",      "vasiliev",   "petrov",
    "sokolov",   "mikhailov",   "novikov",    "fedorov",    "morozov",    "volkov",
    "alekseev",  "lebedev",     "semenov",    "egorov",     "pavlov",     "kozlov",
    "stepanov",  "nikolaev",    "orlov",      "andreev",    "makarov",    "zakharov",
    "popescu",   "ionescu",     "popa",       "pop",        "radu",       "dumitru",
    "stan",      "stoica",      "gheorghe",   "matei",      "ciobanu",    "rusu",
    "munteanu",  "nowak",       "kowalski",   "wisniewski", "wojcik",     "kowalczyk",
    "kaminski",  "lewandowski", "zielinski",  "szymanski",  "wozniak",    "dabrowski",
    "horvat",    "kovacevic",   "babic",      "maric",      "juric",      "novak",
    "jovanovic", "petrovic",    "nikolic",    "markovic",   "djordjevic", "stojanovic",
    "ilic",      "yilmaz",      "kaya",       "demir",      "sahin",      "celik",
    "yildiz",    "yildirim",    "ozturk",     "aydin",      "ozdemir",    "hassan",
    "ali",       "mohamed",     "ahmed",      "ibrahim",    "abdullah",   "mahmoud",
    "khalil",    "haddad",      "nasser",     "saleh",      "farouk",     "okafor",
    "okonkwo",   "adeyemi",     "oluwaseun",  "nwosu",      "eze",        "obi",
    "mensah",    "owusu",       "asante",     "boateng",    "diallo",     "traore",
    "keita",     "coulibaly",   "toure",      "sow",        "ba",         "ndiaye",
    "kamara",    "tran",        "le",         "pham",       "hoang",      "phan",
    "vu",        "dang",        "bui",        "do",         "ho",         "ngo",
    "duong",     "wang",        "li",         "zhang",      "liu",        "chen",
    "yang",      "huang",       "zhao",       "wu",         "zhou",       "xu",
    "sun",       "ma",          "zhu",        "hu",         "guo",        "lin",
    "he",        "gao",         "luo",        "kumar",      "singh",      "sharma",
    "patel",     "shah",        "gupta",      "das",        "reddy",      "rao",
    "khan",      "begum",       "akter",      "hossain",    "rahman",     "islam",
    "santos",    "oliveira",    "souza",      "lima",       "pereira",    "ferreira",
    "alves",     "costa",       "gomes",      "ribeiro",    "cruz",       "reyes",
    "ramos",     "mendoza",     "castillo",   "morales",    "ortiz",      "gutierrez",
    "chavez",    "vargas",      "romero",     "herrera",    "medina",     "aguilar",
    "vega",      "silva",       "rojas",      "munoz",      "diaz",       "fernandez",
    "gomez",     "jimenez",     "ruiz",       "alvarez",    "moreno",     "navarro",
    "dupont",    "bernard",     "dubois",     "durand",     "leroy",      "moreau",
    "simon",     "laurent",     "lefebvre",   "michel",     "muller",     "schmidt",
    "schneider", "fischer",     "weber",      "meyer",      "wagner",     "becker",
    "schulz",    "hoffmann"};

/* Cyrillic forms whose transliteration is the Latin entry above. */
static const char *const pool_cyrillic[][2] = {
    {"kovalenko", "Коваленко"}, {"shevchenko", "Шевченко"},  {"bondarenko", "Бондаренко"},
    {"tkachenko", "Ткаченко"},  {"kravchenko", "Кравченко"}, {"melnyk", "Мельник"},
    {"moroz", "Мороз"},         {"lysenko", "Лисенко"},      {"petrenko", "Петренко"},
    {"ivanov", "Иванов"},       {"smirnov", "Смирнов"},      {"kuznetsov", "Кузнецов"},
    {"popov", "Попов"},         {"petrov", "Петров"},        {"sokolov", "Соколов"},
    {"volkov", "Волков"},       {"olga", "Ольга"},           {"anna", "Анна"},
    {"olena", "Олена"},         {"oksana", "Оксана"},        {"ivan", "Иван"},
    {"oleg", "Олег"},           {"igor", "Игорь"},           {"pavel", "Павел"}};

/* Citizenships (ISO 3166-1 alpha-3). */
static const char *const pool_citizenship[] = {"UKR", "ROU", "NGA", "VNM", "CHN", "MEX",
                                               "IND", "BGD", "PHL", "MDA", "ALB", "BRA"};

#endif
