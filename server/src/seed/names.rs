//! Word lists for the demo council: invented people, streets, estates and blocks placed on real
//! York postcodes and wards. Nothing here names a real person or a real tenancy.

/// First names and surnames that belong together, so a household reads as one family.
pub struct NameGroup {
    pub female: &'static [&'static str],
    pub male: &'static [&'static str],
    pub surnames: &'static [&'static str],
    /// Language for an interpreter alert, when one is needed.
    pub language: &'static str,
    /// Share of households drawn from this group (out of 1,000).
    pub weight: u32,
}

pub const GROUPS: &[NameGroup] = &[
    NameGroup {
        female: &[
            "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Ella", "Lily", "Freya", "Chloe", "Jessica",
            "Ruby", "Evie", "Hannah", "Joanne", "Karen", "Tracey", "Sandra", "Margaret", "Patricia", "Susan", "Linda", "Jean",
            "Maureen", "Shirley", "Dorothy", "Kelly", "Leanne", "Gemma", "Natalie", "Stacey", "Chantelle", "Bethany", "Megan",
            "Niamh", "Siobhan", "Paula", "Lorraine", "Julie", "Michelle", "Donna", "Carol", "Brenda", "Pauline", "Sharon",
            "Jade", "Kayleigh", "Courtney", "Rebecca", "Laura", "Amy", "Poppy", "Daisy", "Maisie", "Lacey", "Holly", "Abigail",
        ],
        male: &[
            "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Jacob", "Thomas", "James",
            "William", "David", "Michael", "Paul", "Mark", "Gary", "Darren", "Wayne", "Lee", "Craig", "Stephen", "Kevin",
            "Brian", "Kenneth", "Derek", "Ronald", "Dennis", "Ryan", "Liam", "Connor", "Callum", "Kieran", "Jordan", "Tyler",
            "Dylan", "Ethan", "Mason", "Shaun", "Dean", "Carl", "Neil", "Trevor", "Keith", "Graham", "Alan", "Barry", "Frank",
            "Alfie", "Freddie", "Archie", "Reece", "Bradley", "Jamie", "Scott", "Adam", "Luke", "Joe",
        ],
        surnames: &[
            "Smith", "Jones", "Taylor", "Brown", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White",
            "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner",
            "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Atkinson",
            "Dobson", "Hodgson", "Pickering", "Dawson", "Precious", "Metcalfe", "Rowntree", "Fairfax", "Terry", "Craven",
            "Laycock", "Barker", "Shepherd", "Fletcher", "Sutcliffe", "Stainthorpe", "Bielby", "Murphy", "Kelly", "O'Brien",
            "Thackray", "Birkett", "Lister", "Crossley", "Ackroyd", "Hebden", "Oldfield", "Wilkinson", "Holmes", "Marshall",
            "Richardson", "Cartwright", "Leng", "Kitching", "Raper", "Pearson", "Brough", "Stubbs", "Dale", "Tindall",
        ],
        language: "British Sign Language",
        weight: 760,
    },
    NameGroup {
        female: &["Aisha", "Fatima", "Maryam", "Priya", "Anika", "Zara", "Amina", "Samina", "Nasreen", "Shabana", "Sana", "Ayesha", "Noor", "Simran", "Harpreet"],
        male: &["Mohammed", "Ali", "Yusuf", "Omar", "Arjun", "Ravi", "Imran", "Tariq", "Zain", "Hamza", "Bilal", "Sanjay", "Gurpreet", "Ibrahim", "Adil"],
        surnames: &["Patel", "Khan", "Ahmed", "Hussain", "Begum", "Ali", "Singh", "Kaur", "Shah", "Akhtar", "Iqbal", "Mahmood", "Sharma", "Chaudhry", "Malik"],
        language: "Urdu",
        weight: 70,
    },
    NameGroup {
        female: &["Agnieszka", "Zuzanna", "Ewa", "Katarzyna", "Magdalena", "Joanna", "Anna", "Monika", "Ioana", "Elena", "Andreea", "Kristina"],
        male: &["Piotr", "Tomasz", "Krzysztof", "Pawel", "Marek", "Jakub", "Andrei", "Mihai", "Florin", "Tomas", "Darius", "Lukas"],
        surnames: &["Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Popescu", "Ionescu", "Kazlauskas", "Petrauskas", "Dabrowski"],
        language: "Polish",
        weight: 80,
    },
    NameGroup {
        female: &["Amara", "Chiamaka", "Ngozi", "Abena", "Efua", "Funmi", "Grace", "Blessing", "Precious", "Faith", "Hawa", "Sahra"],
        male: &["Kwame", "Tunde", "Chinedu", "Kofi", "Emeka", "Samuel", "Daniel", "Joseph", "Abdi", "Mohamed", "Ahmed", "Yaw"],
        surnames: &["Okafor", "Mensah", "Adeyemi", "Okonkwo", "Boateng", "Asante", "Owusu", "Adebayo", "Nwosu", "Abdi", "Warsame", "Osei"],
        language: "Somali",
        weight: 50,
    },
    NameGroup {
        female: &["Mei", "Li", "Yan", "Hui", "Thi", "Linh", "Mariam", "Layla", "Rana", "Yasmin", "Dilan", "Zeynep"],
        male: &["Wei", "Jun", "Hao", "Minh", "Tuan", "Karim", "Hassan", "Ahmad", "Reza", "Mehmet", "Emre", "Omid"],
        surnames: &["Chen", "Wang", "Li", "Zhang", "Nguyen", "Tran", "Al-Sayed", "Haddad", "Rahimi", "Yilmaz", "Demir", "Hosseini"],
        language: "Arabic",
        weight: 40,
    },
];

/// Everyday street-name words heard across York (combined with a street suffix).
pub const STREET_FIRST: &[&str] = &[
    "Tang Hall", "Burnholme", "Foxwood", "Chapelfields", "Kingsway", "Heworth", "Acomb", "Bell Farm", "Clifton",
    "Huntington", "Osbaldwick", "Tranby", "Lindsey", "Kexby", "Cornlands", "Thanet", "Hob Moor", "Bramham", "Ascot",
    "Windsor", "Melrose", "Sixth", "Fifth", "Fourth", "Hempland", "Ashley", "Woolnough", "Muncaster", "Rawdon",
    "Fountayne", "Lowther", "Layerthorpe", "Navigation", "Walmgate", "Bishophill", "Leeman", "Poppleton", "Grantham",
    "Cranbrook", "Gale", "Dringhouses", "Tadcaster", "Moorcroft", "Askham", "Westfield", "Bewlay", "Farrar", "Alcuin",
    "Galtres", "Haxby", "Wigginton", "Sturdee", "Abbotsway", "Wheatlands", "Beckfield", "Stockton", "Garth", "Carr",
    "Almery", "Fulford", "Heslington", "Badger", "Hawthorn", "Sycamore", "Rosedale", "Farndale", "Bilsdale", "Bransdale",
    "Danesmead", "Glaisdale", "Wenlock", "Gillygate", "Penley", "Ouseburn", "Rydal", "Grasmere", "Kirkdale", "Severus",
    "Lilling", "Howard", "Kingsthorpe", "Middlethorpe", "Thorntree", "Calder", "Nidd", "Wharfe", "Swale", "Ure",
];

pub const STREET_LAST: &[&str] = &[
    "Road", "Lane", "Avenue", "Drive", "Close", "Grove", "Crescent", "Way", "Walk", "Court", "Gardens", "Terrace", "Street",
    "Green", "Mews", "Place", "Rise", "Garth",
];

/// Endings that are already a street name ("Stockton Lane" needs no "Road" after it).
pub const STREET_ENDINGS: &[&str] = &["Road", "Lane", "Street", "Green", "Garth", "Drive", "End", "Bank", "Gate", "Avenue"];

/// Neighbourhoods per ward, used to name estates (in order of the ward's postcode sectors).
pub const ESTATES_BY_WARD: &[(&str, &[&str])] = &[
    ("Heworth", &["Tang Hall", "Burnholme", "Heworth Green", "Bad Bargain Lane", "Glen", "Stockton Lane"]),
    ("Hull Road", &["Hull Road", "Tang Hall Lane", "Badger Hill", "Melrosegate"]),
    ("Westfield", &["Chapelfields", "Foxwood", "Kingsway West", "Cornlands", "Windsor Garth"]),
    ("Acomb", &["Acomb Green", "Front Street", "Carr Lane"]),
    ("Clifton", &["Kingsway North", "Clifton Green", "Burton Stone", "Water End"]),
    ("Guildhall", &["Hungate", "Walmgate", "Layerthorpe", "Monkgate", "The Groves", "Bootham", "Lowther Street", "St Andrewgate"]),
    ("Micklegate", &["Bishophill", "Leeman Road", "Scarcroft", "Clementhorpe", "South Bank", "Nunnery Lane"]),
    ("Holgate", &["Holgate", "Hamilton Drive", "Poppleton Road", "Holgate Park"]),
    ("Fishergate", &["Fishergate", "Fulford Road", "Kent Street"]),
    ("Huntington and New Earswick", &["Huntington", "New Earswick", "Brockfield", "North Moor"]),
    ("Dringhouses and Woodthorpe", &["Woodthorpe", "Dringhouses", "Moor Lane"]),
    ("Skelton, Rawcliffe and Clifton Without", &["Rawcliffe", "Clifton Moor", "Skelton", "Shipton Road", "Crichton"]),
    ("Osbaldwick", &["Osbaldwick", "Meadlands", "Metcalfe Lane"]),
    ("Haxby and Wigginton", &["Haxby", "Wigginton", "Ethel Ward"]),
    ("Strensall", &["Strensall", "Towthorpe", "Flaxton Road"]),
    ("Heworth Without", &["Stockton on the Forest", "Heworth Without"]),
    ("Fulford", &["Fulford", "Heslington Lane"]),
    ("Heslington", &["Heslington", "Badger Hill South"]),
    ("Bishopthorpe", &["Bishopthorpe", "Acaster Lane"]),
    ("Wheldrake", &["Wheldrake", "Elvington", "Naburn"]),
    ("Derwent", &["Dunnington", "Kexby", "Holtby", "Murton"]),
    ("Rural West York", &["Poppleton", "Copmanthorpe", "Rufforth", "Askham Bryan"]),
];

pub const BLOCK_NAMES: &[&str] = &[
    "Bramham House", "Wenlock Court", "Hilda House", "Auden House", "Bowes Morrell House", "Lindsey House", "Holgate Court",
    "Ouse Court", "Foss Court", "Minster View", "Walmgate Court", "Tanner House", "Bootham Court", "Fishergate House",
    "St Anne's Court", "Howe Hill House", "Willow House", "Redeness Court", "Layerthorpe House", "Navigation Court",
];

/// Sheltered (independent living) schemes: low-rise blocks for older tenants.
pub const SCHEME_NAMES: &[&str] = &[
    "Glen Lodge", "Marjorie Waite Court", "Kyme Court", "Gale Farm Court", "Barstow House", "Auden Lodge", "Dove Court",
    "Lincoln Court", "Honeysuckle House", "Alder Lodge", "Brooke Court", "Ashfield Court",
];

pub const BLOCK_KINDS: &[&str] = &["House", "Court", "Lodge"];
