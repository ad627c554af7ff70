from django.dispatch import Signal

# Sent once a letter's PDF is stored (and again, harmlessly, when a redelivered task finds it stored).
# Receivers: the flow, which waits on the letter. Arguments: letter.
letter_stored = Signal()
