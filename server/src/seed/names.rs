//! Word lists for the demo council (invented people and street names; real York postcodes).

pub const FEMALE: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Ella", "Lily", "Freya", "Chloe", "Jessica", "Ruby",
    "Evie", "Hannah", "Zara", "Aisha", "Fatima", "Maryam", "Priya", "Anika", "Agnieszka", "Zuzanna", "Joanne", "Karen", "Tracey",
    "Sandra", "Margaret", "Patricia", "Susan", "Linda", "Jean", "Maureen", "Shirley", "Dorothy", "Kelly", "Leanne", "Gemma",
    "Natalie", "Stacey", "Chantelle", "Bethany", "Megan", "Niamh", "Siobhan", "Amara", "Chiamaka", "Ewa", "Ioana",
];
pub const MALE: &[&str] = &[
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Jacob", "Thomas", "James", "William",
    "Mohammed", "Ali", "Yusuf", "Omar", "Arjun", "Ravi", "Piotr", "Tomasz", "Andrei", "Kwame", "Tunde", "David", "Michael",
    "Paul", "Mark", "Gary", "Darren", "Wayne", "Lee", "Craig", "Stephen", "Kevin", "Brian", "Kenneth", "Derek", "Ronald",
    "Dennis", "Ryan", "Liam", "Connor", "Callum", "Kieran", "Jordan", "Tyler", "Dylan", "Ethan", "Mason",
];
pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill", "Scott",
    "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Patel", "Khan", "Ahmed", "Hussain",
    "Begum", "Ali", "Singh", "Kaur", "Nowak", "Kowalski", "Wisniewski", "Popescu", "Okafor", "Mensah", "Adeyemi", "O'Brien",
    "Murphy", "Kelly", "Atkinson", "Dobson", "Hodgson", "Pickering", "Dawson", "Precious", "Metcalfe", "Rowntree", "Fairfax",
    "Terry", "Craven", "Laycock", "Barker", "Shepherd", "Fletcher", "Sutcliffe", "Stainthorpe", "Bielby",
];
pub const STREET_FIRST: &[&str] = &[
    "Tang Hall", "Burnholme", "Foxwood", "Chapelfields", "Kingsway", "Heworth", "Acomb", "Bell Farm", "Clifton", "Huntington",
    "Osbaldwick", "Tranby", "Lindsey", "Kexby", "Cornlands", "Thanet", "Hob Moor", "Bramham", "Ascot", "Windsor", "Melrose",
    "Sixth", "Fifth", "Fourth", "Hempland", "Ashley", "Woolnough", "Muncastergate", "Rawdon", "Fountayne", "Lowther", "Layerthorpe",
    "Navigation", "Walmgate", "Bishophill", "Leeman", "Poppleton", "Grantham", "Cranbrook", "Gale", "Dringhouses", "Tadcaster",
    "Moorcroft", "Askham", "Westfield", "Bewlay", "Farrar", "Alcuin", "Galtres", "Haxby", "Wigginton", "Sturdee", "Abbotsway",
    "Wheatlands", "Rowntree", "Beckfield", "Stockton", "Garth", "Carr", "Almery", "Hull", "Fulford", "Heslington", "Badger",
];
pub const STREET_LAST: &[&str] = &[
    "Road", "Lane", "Avenue", "Drive", "Close", "Grove", "Crescent", "Way", "Walk", "Court", "Gardens", "Terrace", "Street", "Green", "Mews",
];
pub const BLOCK_NAMES: &[&str] = &[
    "Bramham House", "Wenlock Court", "Hilda House", "Glen Lodge", "Marjorie Waite Court", "Kyme Court", "Auden House",
    "Bowes Morrell House", "Lindsey House", "Holgate Court", "Ouse Court", "Foss Court", "Minster View", "Walmgate Court",
    "Tanner House", "Bootham Court", "Fishergate House", "St Anne's Court", "Howe Hill House", "Willow House",
];
