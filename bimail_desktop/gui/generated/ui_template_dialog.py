# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'template_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem,
    QSplitter, QTextBrowser, QVBoxLayout, QWidget)

class Ui_TemplateDialog(object):
    def setupUi(self, templateDialog):
        if not templateDialog.objectName():
            templateDialog.setObjectName(u"templateDialog")
        templateDialog.resize(820, 520)
        self.dialogLayout = QVBoxLayout(templateDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.fieldsForm = QFormLayout()
        self.fieldsForm.setObjectName(u"fieldsForm")
        self.fieldsForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.templateNameLabel = QLabel(templateDialog)
        self.templateNameLabel.setObjectName(u"templateNameLabel")

        self.fieldsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.templateNameLabel)

        self.templateNameEdit = QLineEdit(templateDialog)
        self.templateNameEdit.setObjectName(u"templateNameEdit")

        self.fieldsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.templateNameEdit)

        self.templateSubjectFieldLabel = QLabel(templateDialog)
        self.templateSubjectFieldLabel.setObjectName(u"templateSubjectFieldLabel")

        self.fieldsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.templateSubjectFieldLabel)

        self.templateSubjectEdit = QLineEdit(templateDialog)
        self.templateSubjectEdit.setObjectName(u"templateSubjectEdit")

        self.fieldsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.templateSubjectEdit)


        self.dialogLayout.addLayout(self.fieldsForm)

        self.editorSplitter = QSplitter(templateDialog)
        self.editorSplitter.setObjectName(u"editorSplitter")
        self.editorSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.editorSplitter.setChildrenCollapsible(False)
        self.htmlPane = QWidget(self.editorSplitter)
        self.htmlPane.setObjectName(u"htmlPane")
        self.htmlLayout = QVBoxLayout(self.htmlPane)
        self.htmlLayout.setObjectName(u"htmlLayout")
        self.htmlLayout.setContentsMargins(0, 0, 0, 0)
        self.templateHtmlLabel = QLabel(self.htmlPane)
        self.templateHtmlLabel.setObjectName(u"templateHtmlLabel")

        self.htmlLayout.addWidget(self.templateHtmlLabel)

        self.templateHtmlEdit = QPlainTextEdit(self.htmlPane)
        self.templateHtmlEdit.setObjectName(u"templateHtmlEdit")
        self.templateHtmlEdit.setTabChangesFocus(True)
        self.templateHtmlEdit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.htmlLayout.addWidget(self.templateHtmlEdit)

        self.editorSplitter.addWidget(self.htmlPane)
        self.dialogPreviewPane = QWidget(self.editorSplitter)
        self.dialogPreviewPane.setObjectName(u"dialogPreviewPane")
        self.dialogPreviewLayout = QVBoxLayout(self.dialogPreviewPane)
        self.dialogPreviewLayout.setObjectName(u"dialogPreviewLayout")
        self.dialogPreviewLayout.setContentsMargins(0, 0, 0, 0)
        self.templateDialogPreviewLabel = QLabel(self.dialogPreviewPane)
        self.templateDialogPreviewLabel.setObjectName(u"templateDialogPreviewLabel")

        self.dialogPreviewLayout.addWidget(self.templateDialogPreviewLabel)

        self.templateDialogPreview = QTextBrowser(self.dialogPreviewPane)
        self.templateDialogPreview.setObjectName(u"templateDialogPreview")
        self.templateDialogPreview.setOpenLinks(False)

        self.dialogPreviewLayout.addWidget(self.templateDialogPreview)

        self.editorSplitter.addWidget(self.dialogPreviewPane)

        self.dialogLayout.addWidget(self.editorSplitter)

        self.templatePlaceholdersFound = QLabel(templateDialog)
        self.templatePlaceholdersFound.setObjectName(u"templatePlaceholdersFound")
        self.templatePlaceholdersFound.setText(u"")
        self.templatePlaceholdersFound.setWordWrap(True)

        self.dialogLayout.addWidget(self.templatePlaceholdersFound)

        self.templateErrorLabel = QLabel(templateDialog)
        self.templateErrorLabel.setObjectName(u"templateErrorLabel")
        self.templateErrorLabel.setText(u"")
        self.templateErrorLabel.setWordWrap(True)
        self.templateErrorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.templateErrorLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.importHtmlButton = QPushButton(templateDialog)
        self.importHtmlButton.setObjectName(u"importHtmlButton")
        self.importHtmlButton.setAutoDefault(False)

        self.buttonRow.addWidget(self.importHtmlButton)

        self.buttonRowStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonRowStretch)

        self.templateButtons = QDialogButtonBox(templateDialog)
        self.templateButtons.setObjectName(u"templateButtons")
        self.templateButtons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.buttonRow.addWidget(self.templateButtons)


        self.dialogLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.templateNameLabel.setBuddy(self.templateNameEdit)
        self.templateSubjectFieldLabel.setBuddy(self.templateSubjectEdit)
        self.templateHtmlLabel.setBuddy(self.templateHtmlEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.templateNameEdit, self.templateSubjectEdit)
        QWidget.setTabOrder(self.templateSubjectEdit, self.templateHtmlEdit)
        QWidget.setTabOrder(self.templateHtmlEdit, self.templateDialogPreview)
        QWidget.setTabOrder(self.templateDialogPreview, self.importHtmlButton)

        self.retranslateUi(templateDialog)

        QMetaObject.connectSlotsByName(templateDialog)
    # setupUi

    def retranslateUi(self, templateDialog):
        templateDialog.setWindowTitle(QCoreApplication.translate("TemplateDialog", u"Template", None))
        self.templateNameLabel.setText(QCoreApplication.translate("TemplateDialog", u"&Name:", None))
        self.templateNameEdit.setPlaceholderText(QCoreApplication.translate("TemplateDialog", u"e.g. Daily sales report", None))
        self.templateSubjectFieldLabel.setText(QCoreApplication.translate("TemplateDialog", u"&Subject:", None))
        self.templateSubjectEdit.setPlaceholderText(QCoreApplication.translate("TemplateDialog", u"e.g. Sales report for ${day}", None))
        self.templateHtmlLabel.setText(QCoreApplication.translate("TemplateDialog", u"&HTML body:", None))
        self.templateDialogPreviewLabel.setText(QCoreApplication.translate("TemplateDialog", u"Preview (as recipients will see it):", None))
        self.importHtmlButton.setText(QCoreApplication.translate("TemplateDialog", u"&Import HTML file\u2026", None))
    # retranslateUi
