## Emails to enquirers, and the settings and controls around them

mail-footer-never-asks = We will never ask for your passphrase by email. To read your replies, do not follow links in messages: type this address into your browser yourself: { $inbox }
widening-kind-sender-programme = emails to enquirers will name the programme (its title as the sender and in the text): whoever else reads a person's mailbox learns what they wrote about.
