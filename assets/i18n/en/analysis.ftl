## analysis: en
