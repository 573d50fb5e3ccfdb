"""The fixed vocabulary the demo company is drawn from: names, products, task templates."""

from decimal import Decimal

D = Decimal

INTERNAL_EXTERNAL_ID = "demo-internal"
INTERNAL_NAME = "Northwind Fit-Out & Supply Ltd"

# Conversion from USD list prices into each document currency (demo rates, not market data).
CURRENCY_RATES: dict[str, Decimal] = {"USD": D(1), "EUR": D("0.92"), "GBP": D("0.79"), "JPY": D(150)}
# Currency of the n-th customer (cycling): mostly USD, some EUR, GBP and JPY (no minor unit).
CUSTOMER_CURRENCIES = ("USD", "USD", "EUR", "USD", "GBP", "USD", "EUR", "JPY", "USD", "USD")

COMPANY_FIRST = (
    "Acme", "Blue Harbor", "Cedar", "Summit", "Ironwood", "Silver Lake", "Redstone", "Evergreen",
    "Granite", "Brightwater", "Oakridge", "Pinecrest", "Riverside", "Northgate", "Sunrise", "Westfield",
    "Harborview", "Maple", "Crescent", "Falcon", "Lakeshore", "Highland", "Copperfield", "Starling",
)  # fmt: skip
COMPANY_SECOND = (
    "Foods", "Retail", "Logistics", "Hotels", "Clinics", "Motors", "Pharma", "Textiles", "Labs",
    "Markets", "Hospitality", "Media", "Schools", "Offices", "Fitness", "Bakeries",
)  # fmt: skip
COMPANY_FORM = ("Inc.", "Ltd", "GmbH", "LLC", "S.A.", "Group", "& Co.", "Corp.")

SUPPLIER_NAMES = (
    "Parts Direct", "Metalworks Supply", "BrightLight Electrical", "Fastener World", "Panel Pro",
    "Cable & Conduit Co.", "Timber Traders", "Glass House Supply", "Coatings Unlimited", "ProTools Wholesale",
)  # fmt: skip
CARRIER_NAMES = (
    "Swift Freight",
    "Blue Parcel Express",
    "Road & Rail Logistics",
    "Harbor Couriers",
    "Alpine Haulage",
)
CARRIER_PREFIX = ("SWF", "BPX", "RRL", "HBC", "ALH")

FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Jamie", "Robin", "Chris", "Pat", "Dana", "Lee",
    "Kim", "Avery", "Riley", "Quinn", "Noor", "Mateo", "Aiko", "Lars", "Ines", "Omar", "Priya", "Tomasz",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Garcia", "Müller", "Rossi", "Tanaka", "Novak", "Okafor", "Larsen", "Dubois", "Silva",
    "Kowalski", "Nguyen", "Brown", "Ahmed", "Fischer", "Moreau", "Jensen", "Costa", "Murphy", "Sato",
)  # fmt: skip
STREETS = ("Main St", "Harbour Rd", "Station Ave", "Mill Lane", "Park Blvd", "King St", "Elm Way", "Dock Rd")
CITIES = ("Springfield", "Rivertown", "Lakeside", "Portsmouth", "Fairview", "Greenville", "Bridgeport")

PROJECT_KINDS = (
    "Store fit-out", "Warehouse racking", "Office refurbishment", "Lighting upgrade", "Signage rollout",
    "Maintenance retainer", "Kitchen refit", "Security upgrade", "Network cabling", "Showroom build",
)  # fmt: skip
ORDER_NAMES = (
    "Phase 1 supply and install", "Phase 2 supply and install", "Initial survey", "Additional materials",
    "Change request", "Spare parts", "Quarterly maintenance", "Final fix", "Pilot site", "Rollout batch",
)  # fmt: skip

# (name, USD list price, USD unit cost, code) for goods kept in stock.
GOODS = (
    ("Steel shelving unit", D("189.00"), D("104.50"), "HW"), ("Pallet rack beam 2.7m", D("64.90"), D("35.20"), "HW"),
    ("LED panel 60x60", D("48.75"), D("24.10"), "EL"), ("LED high-bay light", D("219.00"), D("121.00"), "EL"),
    ("Cable tray 3m", D("27.40"), D("13.95"), "EL"), ("Distribution board 12-way", D("312.00"), D("171.60"), "EL"),
    ("Acoustic ceiling tile", D("9.85"), D("4.70"), "FN"), ("Partition panel", D("142.00"), D("77.30"), "FN"),
    ("Glass door set", D("689.00"), D("402.00"), "FN"), ("Vinyl flooring (m²)", D("23.99"), D("12.15"), "FN"),
    ("Wall bracket", D("6.45"), D("2.95"), "HW"), ("Anchor bolts (box of 50)", D("18.20"), D("8.40"), "HW"),
    ("Emergency exit sign", D("74.50"), D("39.90"), "EL"), ("Motion sensor", D("36.80"), D("17.25"), "EL"),
    ("Display counter", D("1249.00"), D("733.00"), "FN"), ("Illuminated sign letter", D("58.00"), D("29.40"), "SG"),
    ("Aluminium sign frame", D("134.00"), D("70.80"), "SG"), ("Network cabinet 24U", D("455.00"), D("251.00"), "IT"),
    ("Cat6 patch panel", D("96.30"), D("47.20"), "IT"), ("Wi-Fi access point", D("279.00"), D("163.00"), "IT"),
    ("CCTV camera", D("349.00"), D("198.00"), "SC"), ("Door access reader", D("412.00"), D("236.00"), "SC"),
    ("Paint (10 l)", D("71.99"), D("38.40"), "FN"), ("Sealant cartridge", D("7.49"), D("3.10"), "HW"),
)  # fmt: skip
# (name, USD rate per hour or unit, code)
SERVICES = (
    ("Installation labour (hour)", D("85.00"), "SV"), ("Site survey", D("450.00"), "SV"),
    ("Project management (hour)", D("110.00"), "SV"), ("Design consultation (hour)", D("125.00"), "SV"),
    ("Maintenance visit", D("295.00"), "SV"), ("Staff training session", D("640.00"), "SV"),
    ("Commissioning (hour)", D("95.00"), "SV"), ("Waste disposal", D("180.00"), "SV"),
)  # fmt: skip
DIGITAL = (
    ("Building management licence (year)", D("1200.00"), "DG"),
    ("Signage content pack", D("390.00"), "DG"),
)
# Equipment the company owns: (name, USD acquire cost, code).
EQUIPMENT = (
    ("Forklift truck", D("24500.00"), "EQ"), ("Delivery van", D("38900.00"), "EQ"),
    ("Scissor lift", D("11800.00"), "EQ"), ("Laser level", D("1240.00"), "EQ"),
)  # fmt: skip
FREE_TEXT_LINES = (
    ("Custom bracket fabrication", D("340.00")), ("Travel and accommodation", D("620.00")),
    ("Out-of-hours surcharge", D("275.00")), ("Disposal of old fixtures", D("190.00")),
)  # fmt: skip
EXPENSES = (
    ("Parking and tolls", D("18.00"), D("65.00")), ("Equipment hire", D("120.00"), D("680.00")),
    ("Meals on site", D("25.00"), D("140.00")), ("Permit fee", D("75.00"), D("450.00")),
    ("Skip hire", D("220.00"), D("390.00")), ("Freight surcharge", D("40.00"), D("260.00")),
)  # fmt: skip
MILEAGE_RATE = D("0.67")

FACILITIES = (
    # (kind, name, address, location codes)
    ("WAREHOUSE", "Main warehouse", "1 Dock Rd, Springfield", ("A-01", "A-02", "A-03", "B-01", "B-02", "DOCK")),
    ("WAREHOUSE", "North depot", "48 Mill Lane, Rivertown", ("N-01", "N-02", "YARD")),
    ("OFFICE", "Head office", "12 King St, Springfield", ("RECEPTION", "MEETING-1", "STORE-ROOM")),
)  # fmt: skip

# Task templates: (name, description, job kind, items). An item is
# (title, anchor, offset business days, duration business days, estimated hours, priority, marker).
TEMPLATES = (
    (
        "Standard delivery", "Confirm, pick, pack and ship an order's goods.", "ORDER",
        (
            ("Confirm order details", "JOB_START", 0, 1, D("1.00"), 3, ""),
            ("Reserve stock", "PREVIOUS_TASK_END", 0, 1, D("1.50"), 5, ""),
            ("Pick and pack", "PREVIOUS_TASK_END", 1, 2, D("4.00"), 5, ""),
            ("Ship to customer", "PREVIOUS_TASK_END", 0, 1, D("1.00"), 3, "ship"),
            ("Confirm delivery", "JOB_END", 0, 0, D("0.50"), 5, ""),
        ),
    ),
    (
        "Installation", "Survey, plan, install and hand over on site.", "STANDARD",
        (
            ("Site survey", "JOB_START", 0, 2, D("6.00"), 3, ""),
            ("Installation plan", "PREVIOUS_TASK_END", 0, 2, D("4.00"), 5, ""),
            ("Install on site", "PREVIOUS_TASK_END", 1, 5, D("24.00"), 3, ""),
            ("Commissioning and tests", "PREVIOUS_TASK_END", 0, 2, D("8.00"), 5, ""),
            ("Customer sign-off", "JOB_END", -1, 1, D("1.00"), 3, ""),
        ),
    ),
    (
        "Consulting engagement", "Workshops and recommendations for the customer.", "STANDARD",
        (
            ("Kick-off meeting", "JOB_START", 0, 0, D("2.00"), 3, ""),
            ("Requirements workshop", "PREVIOUS_TASK_END", 1, 3, D("12.00"), 5, ""),
            ("Deliver recommendations", "PREVIOUS_TASK_END", 2, 5, D("16.00"), 5, ""),
        ),
    ),
    (
        "Production run", "Make a batch of custom items in the workshop.", "PRODUCTION",
        (
            ("Prepare materials", "JOB_START", 0, 2, D("6.00"), 5, ""),
            ("Produce batch", "PREVIOUS_TASK_END", 0, 5, D("20.00"), 3, ""),
            ("Quality check", "PREVIOUS_TASK_END", 0, 1, D("4.00"), 3, ""),
            ("Pack for shipping", "PREVIOUS_TASK_END", 0, 1, D("3.00"), 5, ""),
        ),
    ),
    (
        "Procurement", "Buy, receive and stock materials from a supplier.", "PURCHASE",
        (
            ("Request quotes", "JOB_START", 0, 2, D("2.00"), 5, ""),
            ("Issue purchase order", "PREVIOUS_TASK_END", 0, 1, D("1.00"), 3, ""),
            ("Receive goods", "PREVIOUS_TASK_END", 3, 2, D("2.00"), 3, "receive"),
            ("Inspect and stock", "PREVIOUS_TASK_END", 0, 1, D("3.00"), 5, ""),
        ),
    ),
)  # fmt: skip

PROJECT_TASKS = ("Monthly account review", "Update project forecast", "Send progress report")
CUSTOMER_TASKS = ("Renew framework agreement", "Schedule annual review", "Update credit limit")
SHIPMENT_TASKS = ("Confirm delivery with customer", "Chase carrier for proof of delivery")
QUOTE_TASKS = ("Follow up on quote", "Revise quote after site visit")
