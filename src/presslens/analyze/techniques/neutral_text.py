"""A sample of plain agency-style news prose, written for presslens's behavioural checks.

Where it sits: `checklist.run_checklist` runs the technique model over each paragraph and
reports the false spans per 1,000 words. The paragraphs cover the beats a wire desk files every
day — economy, weather, diplomacy, sport, courts, science — in flat attributed reporting with no
loaded words, so every span a model finds here is a false positive. The text is original to
presslens; names of countries, organisations and people are used only as a wire story would.
"""

from __future__ import annotations

NEUTRAL_WIRE_TEXT = """\
Germany's industrial output rose 0.6 percent in March from the previous month, the federal \
statistics office said on Tuesday, slightly above the 0.4 percent forecast by economists polled \
by news agencies. Production of machinery and electrical equipment increased, while output in \
the construction sector was unchanged. Compared with March last year, industrial production was \
down 1.2 percent in calendar-adjusted terms, the office said.

The European Central Bank kept its main interest rates unchanged on Thursday, as expected by \
most analysts. At a news conference in Frankfurt, the bank's president said the governing \
council would continue to assess incoming data before deciding on the next step. Inflation in \
the euro area was 2.4 percent in April, according to a preliminary estimate published last week \
by the statistics agency Eurostat.

Japan's trade balance returned to a surplus in April for the first time in three months, the \
finance ministry said on Wednesday. Exports rose 8.3 percent from a year earlier, led by \
shipments of cars and semiconductor equipment to the United States and China, while imports \
fell 3.1 percent, mainly because of lower prices for crude oil and liquefied natural gas.

Oil prices were little changed in Asian trading on Monday. Brent crude futures were at 82.40 \
dollars a barrel by 0600 GMT, up 10 cents, and U.S. West Texas Intermediate crude was at 78.15 \
dollars, down 5 cents. Traders said they were waiting for weekly inventory figures due on \
Wednesday and for the monthly report of the Organization of the Petroleum Exporting Countries, \
which is scheduled for release on Thursday.

Brazil's central bank lowered its benchmark Selic rate by 25 basis points to 10.50 percent on \
Wednesday, in a decision that was split five votes to four. In a statement, the bank said the \
smaller reduction reflected uncertainty about the global outlook and about domestic fiscal \
policy. Most economists surveyed before the meeting had expected the cut.

Heavy rain is expected across parts of northern Italy over the weekend, the national weather \
service said on Friday, with up to 150 millimetres forecast in some alpine valleys. Regional \
authorities in Lombardy and Piedmont issued an orange alert for Saturday and Sunday and advised \
residents to check local travel information before setting out. Rail operators said some \
regional services could be delayed.

Temperatures in much of India are forecast to remain above 40 degrees Celsius for the rest of \
the week, the India Meteorological Department said. The monsoon reached the coast of the \
southern state of Kerala on May 30, two days earlier than the long-term average, and is expected \
to advance northwards over the coming weeks. The department has forecast above-normal rainfall \
for the season as a whole.

Australia's Bureau of Meteorology said on Tuesday that the past twelve months had been the \
warmest on record for the country's oceans, based on sea surface temperature measurements \
that go back to 1900. The bureau said the average temperature of the surrounding seas was 0.8 \
degrees Celsius above the average for the period from 1961 to 1990.

Foreign ministers of the Group of Seven met in the Italian town of Capri on Wednesday for three \
days of talks. According to a draft agenda seen by reporters, the ministers were due to discuss \
shipping in the Red Sea, support for Ukraine, relations with China and a joint initiative on \
food security in Africa. A final statement is expected on Friday afternoon.

The foreign ministers of India and Australia signed an agreement on Monday to expand \
cooperation in renewable energy and critical minerals, the two governments said in a joint \
statement. The agreement covers research on battery storage and a working group on supply \
chains, which is due to meet for the first time in September in New Delhi.

The United Nations General Assembly elected five countries to serve two-year terms on the \
Security Council starting in January, the assembly's president announced after a vote in New \
York on Thursday. The council has fifteen members, five of them permanent. The newly elected \
members will replace those whose terms end on December 31.

Officials from Egypt, Qatar and the United States held a further round of talks in Cairo on \
Sunday, a diplomatic source said. The source, who asked not to be named because the talks were \
not public, said the delegations had discussed a proposal for a ceasefire and the exchange of \
detainees, and that another meeting was planned for later in the week.

Spain beat Croatia 3-0 in their opening Group B match at the European Championship in Berlin \
on Saturday. Alvaro Morata scored in the 29th minute, Fabian Ruiz added a second three minutes \
later and Dani Carvajal scored the third shortly before half-time. Italy, the defending \
champions, play Albania in the same group later on Saturday in Dortmund.

Kenya's Faith Kipyegon won the women's 1,500 metres at the Diamond League meeting in Paris on \
Sunday in a time of three minutes 49.04 seconds, a world record. Australia's Jessica Hull \
finished second and Britain's Laura Muir was third. The previous record of 3:49.11 had been set \
by Kipyegon in Florence the year before.

Novak Djokovic reached the quarter-finals of the French Open on Monday after a five-set win over \
Francisco Cerundolo of Argentina that lasted four hours and 39 minutes. The Serbian, who is the \
defending champion, said after the match that he had felt pain in his right knee in the second \
set and would have it examined on Tuesday.

In cricket, India beat Pakistan by six runs in a Twenty20 World Cup match in New York on Sunday. \
India were bowled out for 119 in 19 overs, and Pakistan finished on 113 for seven. Jasprit \
Bumrah took three wickets for 14 runs in his four overs and was named player of the match.

A federal judge in Washington on Tuesday set a trial date of October 14 in a civil case brought \
by a group of state attorneys general against a technology company over its advertising \
business. The judge also ruled on several pre-trial motions, granting some requests by both \
parties to exclude evidence and denying others. Lawyers for the company said they would \
comment after reviewing the order.

The European Court of Justice ruled on Thursday that a national rule limiting the transfer of \
pension rights between member states was not compatible with European Union law on the free \
movement of workers. The case had been referred to the Luxembourg court by a labour tribunal in \
Belgium. The national court must now decide the case in line with the ruling.

A court in Seoul on Friday sentenced a former executive of an engineering firm to two years in \
prison for breaching industrial safety law after a fire at a battery plant last year. The court \
also fined the company 50 million won. Both the prosecution and the defence have seven days to \
file an appeal, according to the court.

Astronomers using the James Webb Space Telescope have measured the light from a galaxy that \
formed about 290 million years after the Big Bang, according to a study published on Thursday \
in the journal Nature. The team said the galaxy was brighter and larger than expected for such \
an early period, and that follow-up observations were planned for next year.

Researchers in Denmark reported on Wednesday that a new blood test identified early signs of \
pancreatic disease in 82 percent of patients in a trial involving about 1,200 people. The \
results were presented at a medical conference in Chicago and have not yet been published in a \
peer-reviewed journal. The researchers said a larger trial would begin next spring.

The Indian Space Research Organisation said on Saturday that its lunar lander had completed all \
planned experiments and had been placed in sleep mode ahead of the lunar night, which lasts \
about fourteen Earth days. The agency said it would try to re-establish contact with the lander \
when sunlight returns to the landing site later this month.

Scientists at a research station in Antarctica said on Monday that the extent of sea ice around \
the continent in February was the second lowest since satellite records began in 1979, \
according to data from the National Snow and Ice Data Center. The researchers said they would \
publish a full analysis of the season in the autumn.

The city council of Vienna approved a budget of 19.4 billion euros for next year at a session on \
Thursday, the city government said. About a quarter of the total is allocated to health and \
social services, and the budget includes funds for two new tram lines and the renovation of \
forty schools. The budget was approved by 56 votes to 44.

Canada's population grew by 1.1 percent in the first three months of the year to reach about \
41 million, Statistics Canada said on Wednesday. The agency said most of the increase came from \
international migration, and that Alberta recorded the largest growth of any province during \
the quarter.

Norway's sovereign wealth fund reported a return of 8.6 percent in the first half of the year, \
the central bank, which manages the fund, said on Tuesday. Equity investments returned 12.5 \
percent, fixed income investments returned minus 0.7 percent and unlisted real estate returned \
minus 1.1 percent. The fund was worth about 17.7 trillion crowns at the end of June.

The annual Chelsea Flower Show opened to visitors in London on Tuesday, with 36 show gardens and \
more than 200 exhibitors, the organisers said. About 168,000 people are expected to attend over \
the five days of the event, which is held each May in the grounds of the Royal Hospital.
"""


def paragraphs(text: str = NEUTRAL_WIRE_TEXT) -> list[str]:
    """The sample split on blank lines, one news item per paragraph."""
    return [p.strip() for p in text.split("\n\n") if p.strip()]
